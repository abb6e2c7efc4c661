package dev.alloplace.media;

import java.util.Arrays;

/**
 * One media packet: a 4-byte big-endian track id followed by an opaque codec payload (an Opus
 * packet, a JPEG image or an H.264 access unit). The relay never looks past the track id and
 * forwards the original bytes, so the hot path uses {@link #readTrackId(byte[])} and allocates
 * nothing.
 *
 * <p>Minimum size: {@value #MIN_LENGTH} bytes, i.e. a track id and at least one payload byte. A
 * packet without payload carries nothing worth relaying. allonet clients never send fewer than 7
 * bytes, but that is an Opus-side assertion of the client; the relay does not interpret the
 * payload, so it does not impose codec rules.
 */
public record MediaFrame(long trackId, byte[] payload) {

    /** Track id plus one payload byte. */
    public static final int MIN_LENGTH = 5;
    /** Track ids are unsigned 32-bit on the wire. */
    public static final long MAX_TRACK_ID = 0xFFFF_FFFFL;

    public MediaFrame {
        if (trackId < 0 || trackId > MAX_TRACK_ID) {
            throw new IllegalArgumentException("track id out of uint32 range: " + trackId);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The track id of {@code packet}, or -1 if it is shorter than {@link #MIN_LENGTH}. */
    public static long readTrackId(byte[] packet) {
        if (packet == null || packet.length < MIN_LENGTH) {
            return -1;
        }
        return ((packet[0] & 0xFFL) << 24) | ((packet[1] & 0xFFL) << 16)
                | ((packet[2] & 0xFFL) << 8) | (packet[3] & 0xFFL);
    }

    /** Decodes a whole packet, copying the payload; for tests and clients, not the relay path. */
    public static Decoded decode(byte[] packet) {
        long id = readTrackId(packet);
        if (id < 0) {
            int length = packet == null ? 0 : packet.length;
            return new Decoded.Malformed("media packet of " + length + " bytes is shorter than "
                    + MIN_LENGTH + " (4-byte track id + payload)");
        }
        return new Decoded.Ok(new MediaFrame(id, Arrays.copyOfRange(packet, 4, packet.length)));
    }

    /** The wire bytes of this frame. */
    public byte[] encode() {
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) (trackId >>> 24);
        out[1] = (byte) (trackId >>> 16);
        out[2] = (byte) (trackId >>> 8);
        out[3] = (byte) trackId;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /** Result of {@link #decode(byte[])}. */
    public sealed interface Decoded {
        record Ok(MediaFrame frame) implements Decoded {
        }

        record Malformed(String reason) implements Decoded {
        }
    }
}
