package dev.alloplace.inspector;

import dev.alloplace.state.Revisions;

/**
 * When each recent revision became the place's latest, to within a heartbeat: each heartbeat
 * notes the revision the one before it closed, at the time that one began. An agent that acknowledged revision {@code a} has been behind
 * since the first noted revision after {@code a}. A fixed ring of {@value #CAPACITY} notes
 * (51 s at 20 Hz); an agent further behind than that is reported as at least that far.
 * Owned by the place thread.
 */
final class RevisionTimes {

    static final int CAPACITY = 1024;

    private final long[] revisions = new long[CAPACITY];
    private final double[] times = new double[CAPACITY];
    private int next;
    private int size;

    /** How far behind the place an acknowledged revision is. */
    record Lag(long revisions, double seconds, boolean atLeast) {
    }

    void note(long revision, double time) {
        if (size > 0 && revisions[index(size - 1)] == revision) {
            return;
        }
        revisions[next] = revision;
        times[next] = time;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    /**
     * The lag of a client that acknowledged {@code ack} while the place is at {@code current}, at
     * {@code now}; null when {@code ack} is no revision the place has reached (a client's claim).
     */
    Lag lag(long ack, long current, double now) {
        long behind = Revisions.distance(ack, current);
        if (behind == 0) {
            return new Lag(0, 0, false);
        }
        if (behind >= Revisions.WRAP / 2) {
            return null;
        }
        // The notes run oldest to newest with growing revisions: find the first one after ack.
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (after(revisions[index(mid)], ack)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        if (low == size) {
            return new Lag(behind, 0, false);
        }
        return new Lag(behind, Math.max(0, now - times[index(low)]), low == 0 && size == CAPACITY);
    }

    private static boolean after(long revision, long ack) {
        long d = Revisions.distance(ack, revision);
        return d > 0 && d < Revisions.WRAP / 2;
    }

    private int index(int i) {
        return Math.floorMod(next - size + i, CAPACITY);
    }
}
