package dev.alloplace.place;

import java.time.Duration;
import java.util.Objects;

/**
 * How the place behaves and what it tolerates.
 *
 * @param name sent in the announce response
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

    public PlaceSettings {
        if (heartbeatHz < 1 || heartbeatHz > 1000) {
            throw new IllegalArgumentException("heartbeatHz must be 1..1000: " + heartbeatHz);
        }
        if (maxCommandBytes < 1024 || maxIntentBytes < 1024 || maxEntitiesPerAgent < 1 || maxSpawnDepth < 1
                || maxPendingRequestsPerAgent < 1 || maxComponentBytes < 16 || maxFullStatesInFlight < 1
                || maxUnacknowledgedDiffs < 1 || reliableDiffBytes < 1 || announceTimeout.isNegative()) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(fairShare, "fairShare");
        Objects.requireNonNull(worldLimits, "worldLimits");
        Objects.requireNonNull(readiness, "readiness");
    }

    public static PlaceSettings defaults() {
        return new PlaceSettings("Unnamed place", 20, 1024 * 1024, 256 * 1024, 20_000, 32, 1_000,
                Duration.ofSeconds(30), Duration.ofSeconds(3), 256 * 1024, 8, 4, 64 * 1024, Duration.ofSeconds(10),
                FairShare.defaults(), WorldLimits.defaults(), Readiness.defaults());
    }

    public PlaceSettings withName(String newName) {
        return new PlaceSettings(newName, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withHeartbeatHz(int hz) {
        return new PlaceSettings(name, hz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withMaxEntitiesPerAgent(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, limit, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withRequestTimeout(Duration timeout) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, timeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withMaxComponentBytes(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, limit, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withMaxFullStatesInFlight(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, limit, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withMaxUnacknowledgedDiffs(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, limit, reliableDiffBytes, announceTimeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withAnnounceTimeout(Duration timeout) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, timeout, fairShare, worldLimits, readiness);
    }

    public PlaceSettings withFairShare(FairShare share) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, share, worldLimits, readiness);
    }

    public PlaceSettings withWorldLimits(WorldLimits limits) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, limits, readiness);
    }

    public PlaceSettings withReadiness(Readiness bounds) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs, reliableDiffBytes, announceTimeout, fairShare, worldLimits, bounds);
    }
}
