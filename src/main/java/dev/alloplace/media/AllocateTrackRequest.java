package dev.alloplace.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed {@code allocate_track} body, in either of the two shapes clients send:
 * <pre>
 * ["allocate_track", "audio", "opus", {metadata}]            modern (allonet 3.x late, 4)
 * ["allocate_track", "video", "mjpeg"|"h264", {width,height}] modern video
 * ["allocate_track", "audio", 48000, 1, "opus"]              legacy (SPEC, Elixir place)
 * </pre>
 *
 * @param metadata the metadata object to store (modern: as sent; legacy: built from the fields)
 * @param legacy whether the legacy shape was used; such tracks also get the top-level
 *     {@code sample_rate} and {@code channel_count} fields the old clients read
 */
public record AllocateTrackRequest(TrackType type, String format, ObjectNode metadata, boolean legacy) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public AllocateTrackRequest {
        metadata = metadata.deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** The {@code live_media} component value for this request and an allocated track id. */
    public ObjectNode liveMedia(long trackId) {
        ObjectNode value = JSON.objectNode();
        value.set("track_id", MediaJson.number(trackId));
        value.put("type", type.wireName());
        value.put("format", format);
        value.set("metadata", metadata.deepCopy());
        if (legacy) {
            value.set("sample_rate", metadata.get("sample_rate"));
            value.put("channel_count", metadata.path("channel_count").asInt(1));
        }
        return value;
    }

    /** Parses {@code body}; never throws. */
    public static Parsed parse(JsonNode body) {
        if (body == null || !body.isArray() || body.size() < 3
                || !"allocate_track".equals(body.get(0).asText(null))) {
            return bad("expected [\"allocate_track\", type, format, {metadata}]");
        }
        JsonNode typeNode = body.get(1);
        if (!typeNode.isTextual()) {
            return bad("track type must be a string (\"audio\" or \"video\")");
        }
        TrackType type = TrackType.fromWire(typeNode.textValue()).orElse(null);
        if (type == null) {
            return bad("unknown track type '" + typeNode.textValue() + "' (expected \"audio\" or \"video\")");
        }
        JsonNode second = body.get(2);
        if (second.isNumber()) {
            return parseLegacy(type, body);
        }
        if (!second.isTextual()) {
            return bad("track format must be a string");
        }
        return parseModern(type, second.textValue(), body);
    }

    private static Parsed parseModern(TrackType type, String format, JsonNode body) {
        if (body.size() > 4) {
            return bad("too many elements; expected [\"allocate_track\", type, format, {metadata}]");
        }
        if (!type.supports(format)) {
            return bad("unsupported " + type.wireName() + " format '" + format + "'");
        }
        JsonNode meta = body.size() == 4 ? body.get(3) : null;
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            return bad("track metadata must be an object");
        }
        ObjectNode metadata = meta != null && meta.isObject() ? (ObjectNode) meta : JSON.objectNode();
        if (type == TrackType.VIDEO) {
            boolean required = format.equals("h264");
            for (String field : new String[] {"width", "height"}) {
                JsonNode size = metadata.get(field);
                if (size == null && !required) {
                    continue;
                }
                if (size == null || !isPositiveInt(size)) {
                    return bad("video metadata '" + field + "' must be a positive integer");
                }
            }
        }
        return new Parsed.Ok(new AllocateTrackRequest(type, format, metadata, false));
    }

    private static Parsed parseLegacy(TrackType type, JsonNode body) {
        if (type != TrackType.AUDIO || body.size() != 5) {
            return bad("legacy form is [\"allocate_track\", \"audio\", sample_rate, channel_count, \"opus\"]");
        }
        JsonNode rate = body.get(2);
        JsonNode channels = body.get(3);
        JsonNode format = body.get(4);
        if (!isPositiveInt(rate)) {
            return bad("sample rate must be a positive integer");
        }
        if (!isPositiveInt(channels) || channels.asInt() > 2) {
            return bad("channel count must be 1 or 2");
        }
        if (!format.isTextual() || !type.supports(format.textValue())) {
            return bad("unsupported audio format " + format + " (expected \"opus\")");
        }
        ObjectNode metadata = JSON.objectNode();
        metadata.put("sample_rate", rate.asInt());
        metadata.put("channel_count", channels.asInt());
        metadata.put("channel_layout", channels.asInt() == 1 ? "mono" : "stereo");
        return new Parsed.Ok(new AllocateTrackRequest(type, format.textValue(), metadata, true));
    }

    private static boolean isPositiveInt(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() > 0
                || node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                        && node.doubleValue() >= 1 && node.doubleValue() <= Integer.MAX_VALUE;
    }

    private static Parsed bad(String reason) {
        return new Parsed.Invalid(reason);
    }

    /** Result of {@link #parse(JsonNode)}. */
    public sealed interface Parsed {
        record Ok(AllocateTrackRequest request) implements Parsed {
        }

        record Invalid(String reason) implements Parsed {
        }
    }
}
