package dev.alloplace.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The three asset messages with validated headers. {@link #parse(AssetFrame)} answers bad
 * headers with the failure the reference implementation sends (mid 3, code 2, same reasons), so
 * clients see familiar errors.
 */
public sealed interface AssetMessage {

    /** Largest offset/length accepted: JSON numbers are doubles, exact up to 2^53. */
    long MAX_NUMBER = 1L << 53;

    String ID_NOT_STRING = "The 'id' field must be a string";
    String ID_NOT_ASSET_ID = "The 'id' field must be an asset id of the form asset:sha256:<64 lowercase hex digits>";
    String RANGE_NOT_TWO_INTEGERS = "The 'range' field must be an array with exactly two integers";
    String DATA_ID_MISSING = "The 'id' field must be present and be a string";
    String DATA_RANGE_MISSING = "The 'range' field must be present and be an array with exactly two integers";
    String DATA_TOTAL_MISSING = "The 'total_length' field must be present and a number";
    String DATA_PAST_END = "offset+length > total_size";
    String PUBLISHED_BY_NOT_STRING = "The 'published_by' field must be a string";

    JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The wire bytes of this message. */
    byte[] encode();

    /** mid 1: "send me {@code length} bytes of {@code id} from {@code offset}". */
    record Request(AssetId id, long offset, long length, Optional<String> publishedBy) implements AssetMessage {
        @Override
        public byte[] encode() {
            ObjectNode header = JSON.objectNode();
            header.put("id", id.toString());
            header.putArray("range").add(offset).add(length);
            publishedBy.ifPresent(entity -> header.put("published_by", entity));
            return AssetFrame.encode(AssetFrame.MID_REQUEST, header, new byte[0], 0, 0);
        }
    }

    /** mid 2: bytes {@code [offset, offset+payload.length)} of an asset of {@code totalLength} bytes. */
    record Data(AssetId id, long offset, long totalLength, byte[] payload) implements AssetMessage {
        public long length() {
            return payload.length;
        }

        @Override
        public byte[] encode() {
            ObjectNode header = JSON.objectNode();
            header.put("id", id.toString());
            header.putArray("range").add(offset).add(payload.length);
            header.put("total_length", totalLength);
            return AssetFrame.encode(AssetFrame.MID_DATA, header, payload, 0, payload.length);
        }
    }

    /** mid 3: the asset (or request) failed. {@code id} is kept as text: it may be malformed. */
    record Failure(String id, String reason, int code) implements AssetMessage {
        @Override
        public byte[] encode() {
            ObjectNode header = JSON.objectNode();
            header.put("id", id);
            header.put("error_reason", reason);
            header.put("error_code", code);
            return AssetFrame.encode(AssetFrame.MID_FAILURE, header, new byte[0], 0, 0);
        }
    }

    /** Validates the header of {@code frame}; never throws. */
    static Parsed parse(AssetFrame frame) {
        ObjectNode header = frame.header();
        return switch (frame.mid()) {
            case AssetFrame.MID_REQUEST -> parseRequest(header);
            case AssetFrame.MID_DATA -> parseData(header, frame.payload());
            case AssetFrame.MID_FAILURE -> parseFailure(header);
            default -> new Parsed.Rejected(frame.mid(), new Failure(textOr(header.get("id"), ""),
                    "Unknown asset message id " + frame.mid(), AssetErrorCode.NOT_SUPPORTED));
        };
    }

    private static Parsed parseRequest(ObjectNode header) {
        JsonNode idNode = header.get("id");
        if (idNode == null || !idNode.isTextual()) {
            return malformed(AssetFrame.MID_REQUEST, "", ID_NOT_STRING);
        }
        String text = idNode.textValue();
        Optional<AssetId> id = AssetId.parse(text);
        if (id.isEmpty()) {
            return malformed(AssetFrame.MID_REQUEST, text, ID_NOT_ASSET_ID);
        }
        long[] range = range(header.get("range"));
        if (range == null) {
            return malformed(AssetFrame.MID_REQUEST, text, RANGE_NOT_TWO_INTEGERS);
        }
        JsonNode publisher = header.get("published_by");
        if (publisher != null && !publisher.isNull() && !publisher.isTextual()) {
            return malformed(AssetFrame.MID_REQUEST, text, PUBLISHED_BY_NOT_STRING);
        }
        Optional<String> publishedBy = publisher == null || publisher.isNull() || publisher.textValue().isEmpty()
                ? Optional.empty() : Optional.of(publisher.textValue());
        return new Parsed.Ok(new Request(id.get(), range[0], range[1], publishedBy));
    }

    private static Parsed parseData(ObjectNode header, byte[] payload) {
        JsonNode idNode = header.get("id");
        if (idNode == null || !idNode.isTextual()) {
            return malformed(AssetFrame.MID_DATA, "", DATA_ID_MISSING);
        }
        String text = idNode.textValue();
        Optional<AssetId> id = AssetId.parse(text);
        if (id.isEmpty()) {
            return malformed(AssetFrame.MID_DATA, text, ID_NOT_ASSET_ID);
        }
        JsonNode rangeNode = header.get("range");
        if (rangeNode == null || !rangeNode.isArray()) {
            return malformed(AssetFrame.MID_DATA, text, DATA_RANGE_MISSING);
        }
        long[] range = range(rangeNode);
        if (range == null) {
            return malformed(AssetFrame.MID_DATA, text, RANGE_NOT_TWO_INTEGERS);
        }
        long total = nonNegativeInteger(header.get("total_length"));
        if (total < 0) {
            return malformed(AssetFrame.MID_DATA, text, DATA_TOTAL_MISSING);
        }
        if (range[0] + range[1] > total) {
            return malformed(AssetFrame.MID_DATA, text, DATA_PAST_END);
        }
        if (range[1] != payload.length) {
            return malformed(AssetFrame.MID_DATA, text, "The range length " + range[1]
                    + " does not match the " + payload.length + " payload bytes");
        }
        return new Parsed.Ok(new Data(id.get(), range[0], total, payload));
    }

    private static Parsed parseFailure(ObjectNode header) {
        JsonNode idNode = header.get("id");
        if (idNode == null || !idNode.isTextual()) {
            return malformed(AssetFrame.MID_FAILURE, "", ID_NOT_STRING);
        }
        long code = nonNegativeInteger(header.get("error_code"));
        return new Parsed.Ok(new Failure(idNode.textValue(), textOr(header.get("error_reason"), ""),
                code < 0 || code > Integer.MAX_VALUE ? AssetErrorCode.NOT_AVAILABLE : (int) code));
    }

    /** {offset, length} if {@code node} is an array of exactly two non-negative integers. */
    private static long[] range(JsonNode node) {
        if (node == null || !node.isArray() || node.size() != 2) {
            return null;
        }
        long offset = nonNegativeInteger(node.get(0));
        long length = nonNegativeInteger(node.get(1));
        return offset < 0 || length < 0 ? null : new long[] {offset, length};
    }

    /** The value if {@code node} is an integral number in [0, 2^53], else -1. */
    private static long nonNegativeInteger(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return -1;
        }
        double value = node.doubleValue();
        if (value != Math.rint(value) || value < 0 || value > MAX_NUMBER) {
            return -1;
        }
        return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : (long) value;
    }

    private static String textOr(JsonNode node, String fallback) {
        return node != null && node.isTextual() ? node.textValue() : fallback;
    }

    private static Parsed malformed(int mid, String id, String reason) {
        return new Parsed.Rejected(mid, new Failure(id, reason, AssetErrorCode.MALFORMED));
    }

    /** Result of {@link #parse(AssetFrame)}. */
    sealed interface Parsed {
        record Ok(AssetMessage message) implements Parsed {
        }

        /** The header was bad; {@code reply} is what the sender should be told (never for mid 3). */
        record Rejected(int mid, Failure reply) implements Parsed {
        }
    }

    /** Decodes and validates one packet in one step. */
    static Parsed decode(byte[] packet) {
        AssetFrame.Decoded decoded = AssetFrame.decode(packet);
        if (decoded instanceof AssetFrame.Decoded.Malformed bad) {
            int mid = packet != null && packet.length >= 2 ? ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF) : 0;
            return new Parsed.Rejected(mid, new Failure("", bad.reason(), AssetErrorCode.MALFORMED));
        }
        return parse(((AssetFrame.Decoded.Ok) decoded).frame());
    }
}
