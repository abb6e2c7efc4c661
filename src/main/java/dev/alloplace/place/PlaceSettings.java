package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the place behaves and what it tolerates. What an operator may set comes from the
 * {@link Settings} catalog ({@link #from(Config)}), which alone holds those defaults and ranges;
 * the rest are fixed here, in {@link Builder}.
 *
 * @param name sent in the announce response (until the place is renamed)
 * @param heartbeatHz simulation and state-diff rate
 * @param maxCommandBytes largest interaction message accepted
 * @param maxIntentBytes largest intent message accepted
 * @param maxEntitiesPerAgent entities one agent may own at once
 * @param maxSpawnDepth nesting of {@code children} in one spawn
 * @param maxPendingRequestsPerAgent requests one agent may have waiting for other agents
 * @param requestTimeout how long a routed request waits for its response before the requester
 *     gets an error
 * @param setResendInterval how long a full state sent (reliably) to a client may stay
 *     unacknowledged before the client gets another one; meanwhile it gets nothing new
 * @param maxComponentBytes largest encoded JSON of one component value an agent may set
 * @param maxUnacknowledgedDiffs merges sent to a client since its last new acknowledgement before
 *     the place slows down to one per quarter second for it (ack-clocked pacing of slow clients)
 * @param maxFullStatesInFlight full states being delivered at once, place-wide; latecomers and
 *     clients that fell behind the history queue for a slot, so a burst of them (a restart with
 *     everyone reconnecting) cannot starve the diffs of everyone else
 * @param reliableDiffBytes a merge bigger than this is sent reliably, and the client gets no
 *     further merge until it has acknowledged it: a big diff sent as unreliable fragments is lost
 *     whole when one fragment is, and the next one (from the same old base) is bigger still
 * @param announceTimeout how long a connection may stay without announcing
 * @param fairShare how the place thread is shared between agents
 * @param worldLimits what the world and each agent's part of it may weigh
 * @param readiness when the loop counts as behind
 */
public record PlaceSettings(
        String name,
        int heartbeatHz,
        int maxCommandBytes,
        int maxIntentBytes,
        int maxEntitiesPerAgent,
        int maxSpawnDepth,
        int maxPendingRequestsPerAgent,
        Duration requestTimeout,
        Duration setResendInterval,
        int maxComponentBytes,
        int maxFullStatesInFlight,
        int maxUnacknowledgedDiffs,
        int reliableDiffBytes,
        Duration announceTimeout,
        FairShare fairShare,
        WorldLimits worldLimits,
        Readiness readiness) {

    /** Only what the loop's arithmetic needs; ranges are the catalog's to check. */
    public PlaceSettings {
        Objects.requireNonNull(name, "name");
        if (heartbeatHz < 1) {
            throw new IllegalArgumentException("heartbeatHz must be positive: " + heartbeatHz);
        }
        if (maxCommandBytes < 1 || maxIntentBytes < 1 || maxEntitiesPerAgent < 1 || maxSpawnDepth < 1
                || maxPendingRequestsPerAgent < 1 || maxComponentBytes < 1 || maxFullStatesInFlight < 1
                || maxUnacknowledgedDiffs < 1 || reliableDiffBytes < 1 || announceTimeout.isNegative()) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(setResendInterval, "setResendInterval");
        Objects.requireNonNull(fairShare, "fairShare");
        Objects.requireNonNull(worldLimits, "worldLimits");
        Objects.requireNonNull(readiness, "readiness");
    }

    /** The {@code place.*} settings of {@code config}. */
    public static PlaceSettings from(Config config) {
        return new Builder()
                .name(config.get(Settings.PLACE_NAME))
                .heartbeatHz(config.get(Settings.HEARTBEAT_HZ))
                .maxCommandBytes(config.get(Settings.MAX_COMMAND_BYTES))
                .maxEntitiesPerAgent(config.get(Settings.MAX_ENTITIES_PER_AGENT))
                .requestTimeout(Duration.ofMillis(config.get(Settings.REQUEST_TIMEOUT_MS)))
                .maxComponentBytes(config.get(Settings.MAX_COMPONENT_BYTES))
                .maxFullStatesInFlight(config.get(Settings.MAX_FULL_STATES_IN_FLIGHT))
                .maxUnacknowledgedDiffs(config.get(Settings.MAX_UNACKNOWLEDGED_DIFFS))
                .reliableDiffBytes(config.get(Settings.RELIABLE_DIFF_BYTES))
                .announceTimeout(Duration.ofMillis(config.get(Settings.ANNOUNCE_TIMEOUT_MS)))
                .fairShare(FairShare.from(config))
                .worldLimits(WorldLimits.from(config))
                .readiness(Readiness.from(config))
                .build();
    }

    /** What a place started without configuration uses: {@link Config#defaults()}. */
    public static PlaceSettings defaults() {
        return from(Config.defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings under construction: made by {@link #from(Config)} or {@link #toBuilder()}. */
    public static final class Builder {
        // Not in the catalog: fixed by the protocol's shape and the loop, not by an operator.
        private int maxIntentBytes = 256 * 1024;
        private int maxSpawnDepth = 32;
        private int maxPendingRequestsPerAgent = 1_000;
        private Duration setResendInterval = Duration.ofSeconds(3);
        // From the catalog.
        private String name;
        private int heartbeatHz;
        private int maxCommandBytes;
        private int maxEntitiesPerAgent;
        private Duration requestTimeout;
        private int maxComponentBytes;
        private int maxFullStatesInFlight;
        private int maxUnacknowledgedDiffs;
        private int reliableDiffBytes;
        private Duration announceTimeout;
        private FairShare fairShare;
        private WorldLimits worldLimits;
        private Readiness readiness;

        private Builder() {
        }

        private Builder(PlaceSettings s) {
            name = s.name;
            heartbeatHz = s.heartbeatHz;
            maxCommandBytes = s.maxCommandBytes;
            maxIntentBytes = s.maxIntentBytes;
            maxEntitiesPerAgent = s.maxEntitiesPerAgent;
            maxSpawnDepth = s.maxSpawnDepth;
            maxPendingRequestsPerAgent = s.maxPendingRequestsPerAgent;
            requestTimeout = s.requestTimeout;
            setResendInterval = s.setResendInterval;
            maxComponentBytes = s.maxComponentBytes;
            maxFullStatesInFlight = s.maxFullStatesInFlight;
            maxUnacknowledgedDiffs = s.maxUnacknowledgedDiffs;
            reliableDiffBytes = s.reliableDiffBytes;
            announceTimeout = s.announceTimeout;
            fairShare = s.fairShare;
            worldLimits = s.worldLimits;
            readiness = s.readiness;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder heartbeatHz(int value) {
            heartbeatHz = value;
            return this;
        }

        public Builder maxCommandBytes(int value) {
            maxCommandBytes = value;
            return this;
        }

        public Builder maxEntitiesPerAgent(int value) {
            maxEntitiesPerAgent = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder maxComponentBytes(int value) {
            maxComponentBytes = value;
            return this;
        }

        public Builder maxFullStatesInFlight(int value) {
            maxFullStatesInFlight = value;
            return this;
        }

        public Builder maxUnacknowledgedDiffs(int value) {
            maxUnacknowledgedDiffs = value;
            return this;
        }

        public Builder reliableDiffBytes(int value) {
            reliableDiffBytes = value;
            return this;
        }

        public Builder announceTimeout(Duration value) {
            announceTimeout = value;
            return this;
        }

        public Builder fairShare(FairShare value) {
            fairShare = value;
            return this;
        }

        public Builder worldLimits(WorldLimits value) {
            worldLimits = value;
            return this;
        }

        public Builder readiness(Readiness value) {
            readiness = value;
            return this;
        }

        public PlaceSettings build() {
            return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent,
                    maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes,
                    maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare,
                    worldLimits, readiness);
        }
    }
}
