package dev.alloplace.state;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;

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
        if (historyLength < 1) {
            throw new IllegalArgumentException("historyLength must be positive: " + historyLength);
        }
        if (initialRevision < 0 || initialRevision >= Revisions.WRAP) {
            throw new IllegalArgumentException("initialRevision out of range: " + initialRevision);
        }
    }

    /** {@code place.state_history} of {@code config}, from the protocol's first revision. */
    public static StateSettings from(Config config) {
        return new StateSettings(config.get(Settings.STATE_HISTORY), 1);
    }

    public static StateSettings defaults() {
        return from(Config.defaults());
    }

    public StateSettings withInitialRevision(long revision) {
        return new StateSettings(historyLength, revision);
    }

    public StateSettings withHistoryLength(int length) {
        return new StateSettings(length, initialRevision);
    }
}
