package dev.alloplace.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One interaction envelope, {@code ["interaction", type, from, to, request_id, body]}.
 * The body is a JSON array whose first element names the interaction; treat it as immutable.
 *
 * <p>Encode once, send many: the envelope as JSON ({@link #toJson}, what ACL rules see) and its
 * bytes ({@link #encode}) are made once and shared by every reader and recipient. One read from
 * the wire whose envelope is exactly what its fields say (six elements, string header fields)
 * keeps the bytes it arrived as, so routing it on unchanged costs no encoding at all; one read
 * leniently (a null header field read as "", another spelling of its type, extra elements) is encoded from its
 * fields, so a recipient sees what the place decided on, never a shape it read differently.
 */
public final class Interaction {

    private final InteractionType type;
    private final String from;
    private final String to;
    private final String requestId;
    private final ArrayNode body;
    private volatile ArrayNode json;
    private volatile byte[] encoded;

    public Interaction(InteractionType type, String from, String to, String requestId, ArrayNode body) {
        this.type = type;
        this.from = from;
        this.to = to;
        this.requestId = requestId;
        this.body = body;
    }

    public InteractionType type() {
        return type;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public String requestId() {
        return requestId;
    }

    public ArrayNode body() {
        return body;
    }

    /** The interaction's name, {@code body[0]}, or "" when the body does not start with a string. */
    public String name() {
        JsonNode first = body.get(0);
        return first != null && first.isTextual() ? first.textValue() : "";
    }

    /** The response to this request, with {@code from}/{@code to} swapped and the same request id. */
    public Interaction respond(ArrayNode responseBody) {
        return new Interaction(InteractionType.RESPONSE, to, from, requestId, responseBody);
    }

    /** The envelope from the parsed fields, made once; shared, so treat it as immutable. */
    public ArrayNode toJson() {
        ArrayNode array = json;
        if (array == null) {
            array = JsonNodeFactory.instance.arrayNode(6);
            array.add("interaction").add(type.wire()).add(from).add(to).add(requestId).add(body);
            json = array;
        }
        return array;
    }

    /**
     * The envelope's bytes, made once (or kept as they arrived): the same array for every
     * recipient, which must not change it.
     */
    public byte[] encode() {
        byte[] bytes = encoded;
        if (bytes == null) {
            bytes = ProtocolJson.write(toJson());
            encoded = bytes;
        }
        return bytes;
    }

    /**
     * Reads an envelope from the bytes that carried it, parsed as {@code json}; the interaction
     * keeps those bytes as its encoding when they say exactly what its fields say.
     */
    public static ParseResult<Interaction> parse(JsonNode json, byte[] received) {
        ParseResult<Interaction> parsed = parse(json);
        if (parsed instanceof ParseResult.Success<Interaction> success && json.size() == 6
                && success.value().type.wire().equals(json.get(1).textValue())
                && json.get(2).isTextual() && json.get(3).isTextual() && json.get(4).isTextual()) {
            success.value().encoded = received;
        }
        return parsed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Interaction that && type == that.type && Objects.equals(from, that.from)
                && Objects.equals(to, that.to) && Objects.equals(requestId, that.requestId) && Objects.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, from, to, requestId, body);
    }

    @Override
    public String toString() {
        return "Interaction[type=" + type + ", from=" + from + ", to=" + to + ", requestId=" + requestId + ", body=" + body
                + "]";
    }

    /** Builds a body array from strings, numbers, booleans and JSON nodes. */
    public static ArrayNode body(Object... elements) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(elements.length);
        for (Object element : elements) {
            if (element == null) {
                array.addNull();
            } else if (element instanceof JsonNode node) {
                array.add(node);
            } else if (element instanceof String text) {
                array.add(text);
            } else if (element instanceof Integer number) {
                array.add(number);
            } else if (element instanceof Long number) {
                array.add(number);
            } else if (element instanceof Double number) {
                array.add(number);
            } else if (element instanceof Boolean flag) {
                array.add(flag);
            } else {
                throw new IllegalArgumentException("not a JSON value: " + element.getClass().getName());
            }
        }
        return array;
    }

    /**
     * Reads an envelope leniently as the real clients need it: missing or null from/to/request id
     * read as "". Returns a reason instead when the shape is not an interaction at all.
     */
    public static ParseResult<Interaction> parse(JsonNode json) {
        if (!json.isArray()) {
            return ParseResult.failure("an interaction must be a JSON array");
        }
        if (json.size() < 6) {
            return ParseResult.failure("an interaction must have 6 elements");
        }
        if (!"interaction".equals(json.get(0).asText(null)) || !json.get(0).isTextual()) {
            return ParseResult.failure("element 0 must be \"interaction\"");
        }
        if (!json.get(1).isTextual()) {
            return ParseResult.failure("element 1 (type) must be a string");
        }
        var type = InteractionType.fromWire(json.get(1).textValue());
        if (type.isEmpty()) {
            return ParseResult.failure("unknown interaction type " + json.get(1).textValue());
        }
        String[] fields = new String[3];
        for (int i = 0; i < 3; i++) {
            JsonNode value = json.get(2 + i);
            if (value.isNull()) {
                fields[i] = "";
            } else if (value.isTextual()) {
                fields[i] = value.textValue();
            } else {
                return ParseResult.failure("element " + (2 + i) + " must be a string");
            }
        }
        JsonNode body = json.get(5);
        if (!body.isArray() || body.isEmpty()) {
            return ParseResult.failure("element 5 (body) must be a non-empty array");
        }
        return ParseResult.success(new Interaction(type.get(), fields[0], fields[1], fields[2], (ArrayNode) body));
    }
}
