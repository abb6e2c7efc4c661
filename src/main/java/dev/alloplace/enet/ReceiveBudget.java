package dev.alloplace.enet;

/**
 * Bytes received from a peer that are not yet delivered (being reassembled, or held for an
 * earlier message), counted against the per-peer cap.
 */
final class ReceiveBudget {

    private final EnetSettings settings;

    ReceiveBudget(EnetSettings settings) {
        this.settings = settings;
    }

    /** Takes {@code bytes} from the peer's budget; false (and nothing taken) when it would pass the cap. */
    boolean reserve(Peer peer, long bytes) {
        if (peer.waitingBytes + bytes > settings.maxWaitingBytes()) {
            return false;
        }
        peer.waitingBytes += bytes;
        return true;
    }

    void release(Peer peer, long bytes) {
        peer.waitingBytes -= bytes;
    }

    void releaseAll(Peer peer) {
        peer.waitingBytes = 0;
    }
}
