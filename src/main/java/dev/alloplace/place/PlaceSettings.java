package dev.alloplace.place;

import java.time.Duration;

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
 * @param interactionsPerSecond sustained interactions one agent may send (token bucket)
 * @param interactionBurst how many interactions an agent may send at once above that rate;
 *     an agent that keeps exceeding the rate for a whole burst's worth is disconnected
 * @param maxComponentBytes largest JSON text of one component value an agent may set
 * @param maxUnacknowledgedDiffs merges sent to a client since its last new acknowledgement before
 *     the place slows down to one per quarter second for it (ack-clocked pacing of slow clients)
 * @param maxFullStatesInFlight full states being delivered at once, place-wide; latecomers and
 *     clients that fell behind the history queue for a slot, so a burst of them (a restart with
 *     everyone reconnecting) cannot starve the diffs of everyone else
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
        double interactionsPerSecond,
        int interactionBurst,
        int maxComponentBytes,
        int maxFullStatesInFlight,
        int maxUnacknowledgedDiffs) {

    public PlaceSettings {
        if (heartbeatHz < 1 || heartbeatHz > 1000) {
            throw new IllegalArgumentException("heartbeatHz must be 1..1000: " + heartbeatHz);
        }
        if (maxCommandBytes < 1024 || maxIntentBytes < 1024 || maxEntitiesPerAgent < 1 || maxSpawnDepth < 1
                || maxPendingRequestsPerAgent < 1 || !(interactionsPerSecond > 0) || interactionBurst < 1
                || maxComponentBytes < 16 || maxFullStatesInFlight < 1 || maxUnacknowledgedDiffs < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static PlaceSettings defaults() {
        return new PlaceSettings("Unnamed place", 20, 1024 * 1024, 256 * 1024, 10_000, 32, 1_000,
                Duration.ofSeconds(30), Duration.ofSeconds(3), 200, 400, 256 * 1024, 8, 4);
    }

    public PlaceSettings withName(String newName) {
        return new PlaceSettings(newName, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withHeartbeatHz(int hz) {
        return new PlaceSettings(name, hz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withMaxEntitiesPerAgent(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, limit, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withRequestTimeout(Duration timeout) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, timeout, setResendInterval, interactionsPerSecond, interactionBurst, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withInteractionRate(double perSecond, int burst) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth,
                maxPendingRequestsPerAgent, requestTimeout, setResendInterval, perSecond, burst, maxComponentBytes, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withMaxComponentBytes(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth, maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst, limit, maxFullStatesInFlight, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withMaxFullStatesInFlight(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth,
                maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst,
                maxComponentBytes, limit, maxUnacknowledgedDiffs);
    }

    public PlaceSettings withMaxUnacknowledgedDiffs(int limit) {
        return new PlaceSettings(name, heartbeatHz, maxCommandBytes, maxIntentBytes, maxEntitiesPerAgent, maxSpawnDepth,
                maxPendingRequestsPerAgent, requestTimeout, setResendInterval, interactionsPerSecond, interactionBurst,
                maxComponentBytes, maxFullStatesInFlight, limit);
    }
}
