package dev.alloplace.place;

/**
 * Figures published by the place thread after every heartbeat; safe to read anywhere. The
 * heartbeat percentiles cover the last minute of heartbeats: wall-clock time, and the place
 * thread's CPU time (the same work without the time spent waiting for a core on a busy
 * machine). Merge bytes against their content bytes (see
 * {@link dev.alloplace.state.EncodedState}) give the diff efficiency.
 */
public record PlaceStats(
        int agents,
        int announcedAgents,
        int entities,
        int components,
        long revision,
        long heartbeats,
        long lastHeartbeatNanos,
        long diffBytesSent,
        long mergeBytesSent,
        long mergeContentBytesSent,
        long interactionsRouted,
        long interactionsRefused,
        long lastTickEpochMillis,
        long heartbeatP50Nanos,
        long heartbeatP99Nanos,
        long heartbeatCpuP50Nanos,
        long heartbeatCpuP99Nanos) {

    static final PlaceStats EMPTY = new PlaceStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
