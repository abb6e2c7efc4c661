package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the place behaves and what it tolerates. What an operator may set comes from the
 * {@link Settings} catalog ({@link #from(Config)}), which alone holds those defaults and ranges;
 * the rest are fixed here.
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

    // Not in the catalog: fixed by the protocol's shape and the loop, not by an operator.
    private static final int MAX_INTENT_BYTES = 256 * 1024;
    private static final int MAX_SPAWN_DEPTH = 32;
    private static final int MAX_PENDING_REQUESTS_PER_AGENT = 1_000;
    private static final Duration SET_RESEND_INTERVAL = Duration.ofSeconds(3);

    /** The {@code place.*} settings of {@code config}. */
    public static PlaceSettings from(Config config) {
        return new PlaceSettings(
                config.get(Settings.PLACE_NAME),
                config.get(Settings.HEARTBEAT_HZ),
                config.get(Settings.MAX_COMMAND_BYTES),
                MAX_INTENT_BYTES,
                config.get(Settings.MAX_ENTITIES_PER_AGENT),
                MAX_SPAWN_DEPTH,
                MAX_PENDING_REQUESTS_PER_AGENT,
                Duration.ofMillis(config.get(Settings.REQUEST_TIMEOUT_MS)),
                SET_RESEND_INTERVAL,
                config.get(Settings.MAX_COMPONENT_BYTES),
                config.get(Settings.MAX_FULL_STATES_IN_FLIGHT),
                config.get(Settings.MAX_UNACKNOWLEDGED_DIFFS),
                config.get(Settings.RELIABLE_DIFF_BYTES),
                Duration.ofMillis(config.get(Settings.ANNOUNCE_TIMEOUT_MS)),
                FairShare.from(config),
                WorldLimits.from(config),
                Readiness.from(config));
    }

    /** What a place started without configuration uses: {@link Config#defaults()}. */
    public static PlaceSettings defaults() {
        return from(Config.defaults());
    }
}
