package dev.alloplace.place;

/**
 * How the place loop is keeping up, as seen from any thread at one moment: whether the next
 * heartbeat is late and how much is waiting for the loop. {@code /readyz} and an orchestrator's
 * health pings follow {@link #ready()}; {@link #reason()} says why not in a few words.
 *
 * @param ready the loop is beating on time and its backlog is within bounds
 * @param reason "ready", or what is wrong
 * @param heartbeats heartbeats since start
 * @param lastHeartbeatEpochMillis wall-clock time of the last heartbeat, 0 before the first
 * @param heartbeatLatenessMillis how far past its due time the next heartbeat is (0 when on time)
 * @param backlogMessages messages waiting for the loop, in agents' queues and not yet taken
 * @param backlogBytes their bytes
 */
public record LoopHealth(boolean ready, String reason, long heartbeats, long lastHeartbeatEpochMillis,
        long heartbeatLatenessMillis, long backlogMessages, long backlogBytes) {
}
