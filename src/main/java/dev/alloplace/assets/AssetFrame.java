package dev.alloplace.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ProtocolJson;
import java.io.IOException;
import java.util.Arrays;

/**
 * One packet of the ASSETS channel:
 * <pre>
 * u16 BE mid (1 request, 2 data, 3 failure) | u16 BE hlen | hlen bytes JSON header | payload
 * </pre>
 * Only data frames (mid 2) carry a payload. Decoding checks lengths strictly and never throws;
 * what the header must contain is {@link AssetMessage}'s business.
 */
public record AssetFrame(int mid, ObjectNode header, byte[] payload) {

    public static final int MID_REQUEST = 1;
    public static final int MID_DATA = 2;
    public static final int MID_FAILURE = 3;
    public static final int PREFIX_LENGTH = 4;
    public static final int MAX_HEADER_LENGTH = 0xFFFF;

    /** The protocol's strict reader: bounded nesting, no duplicate keys, nothing after the object. */
    static final ObjectMapper MAPPER = ProtocolJson.mapper();

    /** Decodes {@code packet}; the payload is copied out of it. */
    public static Decoded decode(byte[] packet) {
        if (packet == null || packet.length < PREFIX_LENGTH) {
            int length = packet == null ? 0 : packet.length;
            return new Decoded.Malformed("asset packet of " + length + " bytes is shorter than its 4-byte prefix");
        }
        int mid = u16(packet, 0);
        int hlen = u16(packet, 2);
        if (PREFIX_LENGTH + hlen > packet.length) {
            return new Decoded.Malformed("asset header length " + hlen + " exceeds the packet ("
                    + (packet.length - PREFIX_LENGTH) + " bytes after the prefix)");
        }
        JsonNode header;
        try {
            header = MAPPER.readTree(packet, PREFIX_LENGTH, hlen);
        } catch (IOException e) {
            return new Decoded.Malformed("asset header is not valid JSON");
        }
        if (header == null || !header.isObject()) {
            return new Decoded.Malformed("asset header is not a JSON object");
        }
        int payloadStart = PREFIX_LENGTH + hlen;
        if (mid != MID_DATA && payloadStart != packet.length) {
            return new Decoded.Malformed("asset message " + mid + " carries "
                    + (packet.length - payloadStart) + " unexpected payload bytes");
        }
        return new Decoded.Ok(new AssetFrame(mid, (ObjectNode) header,
                Arrays.copyOfRange(packet, payloadStart, packet.length)));
    }

    /** Encodes a frame from its parts; {@code payload[offset, offset+length)} is appended. */
    public static byte[] encode(int mid, ObjectNode header, byte[] payload, int offset, int length) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
        if (json.length > MAX_HEADER_LENGTH) {
            throw new IllegalArgumentException("asset header of " + json.length + " bytes does not fit a u16");
        }
        byte[] out = new byte[PREFIX_LENGTH + json.length + length];
        out[0] = (byte) (mid >>> 8);
        out[1] = (byte) mid;
        out[2] = (byte) (json.length >>> 8);
        out[3] = (byte) json.length;
        System.arraycopy(json, 0, out, PREFIX_LENGTH, json.length);
        System.arraycopy(payload, offset, out, PREFIX_LENGTH + json.length, length);
        return out;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    /** Result of {@link #decode(byte[])}. */
    public sealed interface Decoded {
        record Ok(AssetFrame frame) implements Decoded {
        }

        record Malformed(String reason) implements Decoded {
        }
    }
}
