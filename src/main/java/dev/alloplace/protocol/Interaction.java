package dev.alloplace.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One interaction envelope, {@code ["interaction", type, from, to, request_id, body]}.
 * The body is a JSON array whose first element names the interaction; treat it as immutable.
 */
public record Interaction(InteractionType type, String from, String to, String requestId, ArrayNode body) {

    /** The interaction's name, {@code body[0]}, or "" when the body does not start with a string. */
    public String name() {
        JsonNode first = body.get(0);
        return first != null && first.isTextual() ? first.textValue() : "";
    }

    /** The response to this request, with {@code from}/{@code to} swapped and the same request id. */
    public Interaction respond(ArrayNode responseBody) {
        return new Interaction(InteractionType.RESPONSE, to, from, requestId, responseBody);
    }

    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(6);
        array.add("interaction").add(type.wire()).add(from).add(to).add(requestId).add(body);
        return array;
    }

    public byte[] encode() {
        return ProtocolJson.write(toJson());
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
