package dev.alloplace.place;

import dev.alloplace.state.Revisions;

/**
 * Where one client is in the state stream: what it acknowledged, and what was sent to it and
 * when, for the pacing rules of {@link StateDelivery}. Owned by the place thread.
 */
final class DeliveryState {

    private static final long NEVER = Long.MIN_VALUE / 2;

    private long ackRevision;
    private int diffsSinceAck;
    private long lastDiffSentNanos = NEVER;
    private long lastSetSentNanos = NEVER;
    private long lastSetRevision = -1;
    private boolean lastSetConfirmed = true;
    private long lastReliableDiffNanos = NEVER;
    private long lastReliableDiffRevision = -1;
    private boolean lastReliableDiffConfirmed = true;

    long ackRevision() {
        return ackRevision;
    }

    /**
     * The client's latest intent acknowledged {@code revision}; true if that confirms the big
     * merge it was waiting for.
     */
    boolean acknowledged(long revision) {
        if (revision != ackRevision) {
            diffsSinceAck = 0;
        }
        ackRevision = revision;
        if (!lastReliableDiffConfirmed && reached(lastReliableDiffRevision)) {
            lastReliableDiffConfirmed = true;
            return true;
        }
        return false;
    }

    /**
     * Whether the client may get another full state now: not while the last one (sent
     * reliably) is on its way and unconfirmed, unless {@code patienceNanos} have passed.
     */
    boolean mayResendSet(long nowNanos, long patienceNanos) {
        if (!lastSetConfirmed && reached(lastSetRevision)) {
            lastSetConfirmed = true;
        }
        return lastSetConfirmed || nowNanos - lastSetSentNanos >= patienceNanos;
    }

    boolean setSentBefore() {
        return lastSetSentNanos != NEVER;
    }

    void setSent(long nowNanos, long revision) {
        lastSetSentNanos = nowNanos;
        lastSetRevision = revision;
        lastSetConfirmed = false;
    }

    /**
     * Ack-clocked pacing of merges: a client that has not acknowledged anything since the last
     * {@code window} diffs gets the next one only after {@code gapNanos}, so a client that cannot
     * keep up receives fewer (each still complete, from its own base) instead of drowning in them.
     */
    boolean mayGetDiff(long nowNanos, int window, long gapNanos) {
        return diffsSinceAck < window || nowNanos - lastDiffSentNanos >= gapNanos;
    }

    /** Diffs sent since the client last acknowledged a new revision. */
    int diffsSinceAck() {
        return diffsSinceAck;
    }

    void diffSent(long nowNanos) {
        diffsSinceAck++;
        lastDiffSentNanos = nowNanos;
    }

    /** A big merge went out reliably: nothing more until the client has it (or patience ran out and it is delivered). */
    void reliableDiffSent(long nowNanos, long revision) {
        lastReliableDiffNanos = nowNanos;
        lastReliableDiffRevision = revision;
        lastReliableDiffConfirmed = false;
    }

    /** The last merge sent reliably is not acknowledged yet. */
    boolean reliableDiffUnconfirmed() {
        if (!lastReliableDiffConfirmed && reached(lastReliableDiffRevision)) {
            lastReliableDiffConfirmed = true;
        }
        return !lastReliableDiffConfirmed;
    }

    /** The last merge sent reliably went out less than {@code patienceNanos} ago. */
    boolean reliableDiffRecent(long nowNanos, long patienceNanos) {
        return nowNanos - lastReliableDiffNanos < patienceNanos;
    }

    private boolean reached(long revision) {
        return ackRevision != 0 && Revisions.distance(revision, ackRevision) < Revisions.WRAP / 2;
    }
}
