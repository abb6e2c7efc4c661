package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.time.Duration;

/**
 * How the place thread is shared between agents. Every message an agent sends waits in that
 * agent's own queue; the loop takes a slice from each queue in turn, and while others are
 * waiting each agent may spend a budget of work units per heartbeat (alone, it may use what
 * nobody else wants). One unit is one message, plus one per KiB it carries, plus what handling
 * it cost beyond that: one per 1,000 guard steps of checking it against the ACL's rules or
 * matching a publication. What agents write
 * into the world is paced apart from that, by {@code worldWriteBytesPerSecond} for all of them
 * together ({@link WriteRate}; everything written must be sent to every client). An agent that
 * sends more than its share waits, not the others; one whose queue stays over the backlog bound
 * is told why and disconnected.
 *
 * @param sliceUnits work units one agent's queue gives in one turn before the next agent's turn
 * @param unitsPerHeartbeat work units one agent may spend per heartbeat while others are waiting;
 *     what a message costs beyond it is owed and paid from the next heartbeats' budgets
 * @param spareUnitsPerHeartbeat work units one agent over its budget may spend per heartbeat on
 *     time nobody within theirs wants (owing nothing for them); 0 makes the budget a hard cap
 * @param worldWriteBytesPerSecond bytes of component values (spawned or changed) all agents
 *     together may write into the world per second, after a burst of an eighth of the world's
 *     size; those writing at once share it equally, an agent alone gets all of it
 * @param backlogMessages messages one agent may have waiting
 * @param backlogBytes bytes one agent may have waiting
 * @param backlogGrace how long an agent's queue may stay over either bound before the agent is
 *     disconnected; twice either bound disconnects at once
 * @param placeBacklogBytes bytes all agents together may have waiting; over it the agent with
 *     the biggest queue is disconnected
 */
public record FairShare(int sliceUnits, int unitsPerHeartbeat, int spareUnitsPerHeartbeat, long worldWriteBytesPerSecond,
        int backlogMessages, long backlogBytes, Duration backlogGrace, long placeBacklogBytes) {

    /** Guard steps (ACL rules checking a message, subscriptions matching a publication) per work unit. */
    public static final int GUARD_STEPS_PER_WORK_UNIT = 1000;

    public FairShare {
        if (sliceUnits < 1 || unitsPerHeartbeat < 1 || spareUnitsPerHeartbeat < 0 || worldWriteBytesPerSecond < 1 || backlogMessages < 1 || backlogBytes < 1
                || backlogGrace.isNegative() || placeBacklogBytes < 1) {
            throw new IllegalArgumentException("fair-share limits must be positive");
        }
    }

    /** The {@code place.agent_*}, {@code place.world_write_bytes_per_second} and {@code place.backlog_bytes} settings. */
    public static FairShare from(Config config) {
        return new FairShare(config.get(Settings.AGENT_SLICE), config.get(Settings.AGENT_WORK_PER_HEARTBEAT),
                config.get(Settings.AGENT_SPARE_WORK_PER_HEARTBEAT),
                config.get(Settings.WORLD_WRITE_BYTES_PER_SECOND), config.get(Settings.AGENT_BACKLOG_MESSAGES),
                config.get(Settings.AGENT_BACKLOG_BYTES), Duration.ofMillis(config.get(Settings.AGENT_BACKLOG_GRACE_MS)),
                config.get(Settings.BACKLOG_BYTES));
    }

}
