package dev.alloplace.state;

/**
 * Tuning of the world store.
 *
 * @param historyLength how many past revisions a client may acknowledge and still get a merge
 *     patch (allonet keeps 64); older acknowledgements get the full state
 * @param initialRevision the revision before the first heartbeat (the protocol starts at 1; a
 *     restored place continues from its saved revision; tests start near the wrap)
 */
public record StateSettings(int historyLength, long initialRevision) {

    public StateSettings {
        if (historyLength < 1 || historyLength > 100_000) {
            throw new IllegalArgumentException("historyLength must be 1..100000: " + historyLength);
        }
        if (initialRevision < 0 || initialRevision >= Revisions.WRAP) {
            throw new IllegalArgumentException("initialRevision out of range: " + initialRevision);
        }
    }

    public static StateSettings defaults() {
        return new StateSettings(64, 1);
    }

    public StateSettings withInitialRevision(long revision) {
        return new StateSettings(historyLength, revision);
    }

    public StateSettings withHistoryLength(int length) {
        return new StateSettings(length, initialRevision);
    }
}
