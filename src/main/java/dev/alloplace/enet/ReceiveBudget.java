package dev.alloplace.enet;

/**
 * Bytes received and not yet delivered (fragments of messages being reassembled, messages held
 * for an earlier one, with their bookkeeping), per peer and summed over the host, against both
 * caps. Only what actually arrived is ever charged.
 */
final class ReceiveBudget {

    /** Why {@link #reserve} said no. */
    enum Verdict {
        OK,
        /** The peer would pass its own cap. */
        PEER_FULL,
        /** The host would pass its cap; someone has to go. */
        HOST_FULL
    }

    private final EnetSettings settings;
    private final PeerTable table;
    private long total;

    ReceiveBudget(EnetSettings settings, PeerTable table) {
        this.settings = settings;
        this.table = table;
    }

    /** Charges {@code bytes} to the peer, or nothing when a cap would be passed. */
    Verdict reserve(Peer peer, long bytes) {
        if (peer.waitingBytes + bytes > settings.maxWaitingBytes()) {
            return Verdict.PEER_FULL;
        }
        if (total + bytes > settings.maxWaitingBytesTotal()) {
            return Verdict.HOST_FULL;
        }
        peer.waitingBytes += bytes;
        total += bytes;
        return Verdict.OK;
    }

    void release(Peer peer, long bytes) {
        peer.waitingBytes -= bytes;
        total -= bytes;
    }

    void releaseAll(Peer peer) {
        total -= peer.waitingBytes;
        peer.waitingBytes = 0;
    }

    /** Bytes waiting over all peers. */
    long total() {
        return total;
    }

    /** The peer holding the most waiting bytes (ties: the lowest slot). */
    Peer largestHolder() {
        Peer largest = null;
        for (Peer peer : table.slots()) {
            if (peer.waitingBytes > 0 && (largest == null || peer.waitingBytes > largest.waitingBytes)) {
                largest = peer;
            }
        }
        return largest;
    }
}
