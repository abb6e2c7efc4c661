package dev.alloplace.loadgen;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * One load-generator run.
 *
 * @param target the place (loopback only)
 * @param admin the place's admin endpoint, read for heartbeat figures; null to skip
 * @param agents agents that join, move at the intent rate and ack every diff
 * @param staticEntities entities spawned once by a builder agent before the measurement
 * @param duration how long the measured part runs; the run always stops by itself
 * @param intentHz intents per second per agent (allonet sends 20)
 * @param interactionsPerSecond requests per second per agent to another agent (0 for none)
 * @param churnPerMinute agents that leave and are replaced per minute (0 for none)
 * @param protocol 3 or 4
 * @param placeEntities entities the place already has (its own, from its entities file); the
 *     late-join probe waits for static plus these
 * @param still agents keep sending intents but hold one pose, so diffs carry almost nothing
 *     (for measuring interaction routing apart from state traffic)
 * @param interactionWarmUp how long interactions ramp up to their rate and settle before they
 *     are measured (two thirds ramp, one third at the full rate)
 * @param signedIdentities every agent gets its own Ed25519 key and joins verified (identity
 *     challenge and signed announce), as keyed clients would
 */
public record LoadPlan(
        InetSocketAddress target,
        URI admin,
        int agents,
        int staticEntities,
        Duration duration,
        int intentHz,
        double interactionsPerSecond,
        double churnPerMinute,
        int protocol,
        int placeEntities,
        boolean still,
        Duration interactionWarmUp,
        boolean signedIdentities) {

    public static final Duration MAX_DURATION = Duration.ofHours(2);

    /** The place as {@code host:port} (never {@code /127.0.0.1:21337}). */
    public String targetText() {
        return target.getAddress().getHostAddress() + ":" + target.getPort();
    }

    /** A plan whose agents announce without keys, as allonet clients do. */
    public LoadPlan(InetSocketAddress target, URI admin, int agents, int staticEntities, Duration duration, int intentHz,
            double interactionsPerSecond, double churnPerMinute, int protocol, int placeEntities, boolean still,
            Duration interactionWarmUp) {
        this(target, admin, agents, staticEntities, duration, intentHz, interactionsPerSecond, churnPerMinute, protocol,
                placeEntities, still, interactionWarmUp, false);
    }

    public LoadPlan {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the load generator only targets loopback, not " + target);
        }
        if (agents < 0 || agents > 2000 || staticEntities < 0 || staticEntities > 1_000_000) {
            throw new IllegalArgumentException("agents must be 0..2000 and static entities 0..1000000");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most " + MAX_DURATION);
        }
        if (interactionWarmUp.isNegative() || interactionWarmUp.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the interaction warm-up must be 0.." + MAX_DURATION);
        }
        if (intentHz < 1 || intentHz > 100 || interactionsPerSecond < 0 || churnPerMinute < 0
                || protocol != 3 && protocol != 4) {
            throw new IllegalArgumentException("intent rate 1..100 Hz, rates >= 0, protocol 3 or 4");
        }
    }
}
