package dev.alloplace.enet;

/** A received message being reassembled from fragments, or a whole one waiting for its turn. */
final class IncomingMessage {
    final int reliableSeq;
    final int unreliableSeq;
    final int fragmentCount;
    final boolean reliable;
    final byte[] data;
    private final long[] received;
    private int remaining;

    IncomingMessage(boolean reliable, int reliableSeq, int unreliableSeq, int fragmentCount, int totalLength) {
        this.reliable = reliable;
        this.reliableSeq = reliableSeq;
        this.unreliableSeq = unreliableSeq;
        this.fragmentCount = fragmentCount;
        this.data = new byte[totalLength];
        this.received = new long[(fragmentCount + 63) / 64];
        this.remaining = fragmentCount;
    }

    static IncomingMessage whole(boolean reliable, int reliableSeq, int unreliableSeq, byte[] data) {
        return new IncomingMessage(reliable, reliableSeq, unreliableSeq, data);
    }

    private IncomingMessage(boolean reliable, int reliableSeq, int unreliableSeq, byte[] data) {
        this.reliable = reliable;
        this.reliableSeq = reliableSeq;
        this.unreliableSeq = unreliableSeq;
        this.fragmentCount = 1;
        this.data = data;
        this.received = new long[1];
        this.remaining = 0;
    }

    boolean complete() {
        return remaining == 0;
    }

    /** Places one fragment; duplicates are ignored. */
    void addFragment(int number, int offset, byte[] fragment, int length) {
        long bit = 1L << (number & 63);
        if ((received[number >>> 6] & bit) != 0) {
            return;
        }
        received[number >>> 6] |= bit;
        remaining--;
        int copy = Math.min(length, data.length - offset);
        System.arraycopy(fragment, 0, data, offset, copy);
    }
}
