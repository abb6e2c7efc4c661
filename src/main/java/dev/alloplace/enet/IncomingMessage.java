package dev.alloplace.enet;

import java.util.HashMap;
import java.util.Map;

/**
 * A received message: whole (waiting for its turn), or being reassembled. A fragment's header
 * claims the message's total length and fragment count; neither is allocated. What is held are
 * the fragments that actually arrived, so the memory of a message in reassembly is the bytes its
 * sender really sent (plus bookkeeping, which {@link #charge()} counts too). The whole message is
 * put together when every fragment is there and they add up to exactly the claimed length.
 */
final class IncomingMessage {

    /** Bookkeeping of one held message (this object, its map entry and key, its array's header). */
    static final int MESSAGE_OVERHEAD = 128;
    /** Extra bookkeeping while a message is being assembled (the map of its fragments). */
    static final int ASSEMBLY_OVERHEAD = 160;
    /** Bookkeeping of one held fragment (map node, key, piece, array header). */
    static final int PIECE_OVERHEAD = 96;

    /** What adding a fragment did. */
    enum Added {
        /** A fragment number seen before: nothing changed. */
        DUPLICATE,
        ADDED,
        /** That was the last fragment: the message is whole now. */
        COMPLETE,
        /** The fragments cannot make the claimed message (they overrun or fall short of its length). */
        INCONSISTENT
    }

    private record Piece(int offset, byte[] bytes, int length) {
    }

    final int reliableSeq;
    final int unreliableSeq;
    final int fragmentCount;
    final int totalLength;
    final boolean reliable;
    /** When a fragment last arrived (or the whole message did). */
    long lastProgress;
    private byte[] data;
    private Map<Integer, Piece> pieces;
    private long receivedBytes;

    private IncomingMessage(boolean reliable, int reliableSeq, int unreliableSeq, int fragmentCount, int totalLength,
            byte[] data, long now) {
        this.reliable = reliable;
        this.reliableSeq = reliableSeq;
        this.unreliableSeq = unreliableSeq;
        this.fragmentCount = fragmentCount;
        this.totalLength = totalLength;
        this.data = data;
        this.pieces = data == null ? new HashMap<>(4) : null;
        this.lastProgress = now;
    }

    static IncomingMessage whole(boolean reliable, int reliableSeq, int unreliableSeq, byte[] data, long now) {
        return new IncomingMessage(reliable, reliableSeq, unreliableSeq, 1, data.length, data, now);
    }

    /** A message announced by its first fragment to arrive; holds nothing yet. */
    static IncomingMessage partial(boolean reliable, int reliableSeq, int unreliableSeq, int fragmentCount,
            int totalLength, long now) {
        return new IncomingMessage(reliable, reliableSeq, unreliableSeq, fragmentCount, totalLength, null, now);
    }

    boolean complete() {
        return data != null;
    }

    /** The whole message; only once {@link #complete()}. */
    byte[] data() {
        return data;
    }

    /** Whether a fragment may belong to this message: the same count and claimed length. */
    boolean matches(int count, int total) {
        return fragmentCount == count && totalLength == total;
    }

    /** Bytes this message holds now, bookkeeping included: what the receive budget is charged. */
    long charge() {
        return MESSAGE_OVERHEAD + (data != null ? data.length
                : ASSEMBLY_OVERHEAD + receivedBytes + (long) pieces.size() * PIECE_OVERHEAD);
    }

    /** Most {@link #charge()} can grow by adding a fragment of {@code length} bytes. */
    static long growth(int length) {
        return length + PIECE_OVERHEAD;
    }

    /** Keeps one fragment ({@code fragment[0, length)} at {@code offset}); duplicates are ignored. */
    Added add(int number, int offset, byte[] fragment, int length, long now) {
        if (data != null || pieces.containsKey(number)) {
            return Added.DUPLICATE;
        }
        if (receivedBytes + length > totalLength) {
            return Added.INCONSISTENT;
        }
        pieces.put(number, new Piece(offset, fragment, length));
        receivedBytes += length;
        lastProgress = now;
        if (pieces.size() < fragmentCount) {
            return Added.ADDED;
        }
        if (receivedBytes != totalLength) {
            return Added.INCONSISTENT;
        }
        byte[] whole = new byte[totalLength];
        for (Piece piece : pieces.values()) {
            System.arraycopy(piece.bytes(), 0, whole, piece.offset(), piece.length());
        }
        data = whole;
        pieces = null;
        return Added.COMPLETE;
    }
}
