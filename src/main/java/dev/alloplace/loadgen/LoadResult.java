package dev.alloplace.loadgen;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a run measured, over its own measured window (warm-up excluded). A figure the run could
 * not measure is empty.
 *
 * @param measuredSeconds the measured window's length
 * @param heartbeatP50Millis the median of the server's heartbeats in the window, from the
 *     difference of its heartbeat histogram between the window's ends
 * @param heartbeatsMeasured how many heartbeats that covers
 * @param heartbeatCpuP50Millis the place thread's CPU time per heartbeat (the server's work without
 *     waiting for a core); the server keeps it for its last minute only, so it is given for windows
 *     of at least {@link LoadGenerator#SERVER_STATS_WINDOW}, when that minute lies inside the run
 * @param bytesPerClientPerSecond mean bytes each agent received per second over the window
 * @param lateJoinMillis time from a fresh agent's announce to a complete mirror of the place, the
 *     median of seven latecomers after warm-up ones, once the static entities exist
 * @param diffEfficiency merge-patch bytes the server sent over the window divided by the changed
 *     JSON they carried (the server's own count)
 * @param serverCpuPercent the server process's mean CPU use over the window, 100 = every core busy
 * @param stoppedEarly why the run ended before its duration (every agent lost), if it did
 */
public record LoadResult(
        LoadPlan plan,
        List<Sample> samples,
        double measuredSeconds,
        OptionalDouble heartbeatP50Millis,
        OptionalDouble heartbeatP99Millis,
        long heartbeatsMeasured,
        OptionalDouble heartbeatCpuP50Millis,
        OptionalDouble heartbeatCpuP99Millis,
        double bytesPerClientPerSecond,
        OptionalDouble lateJoinMillis,
        OptionalDouble interactionP50Millis,
        OptionalDouble interactionP99Millis,
        OptionalDouble diffEfficiency,
        OptionalDouble serverCpuPercent,
        long disconnectsSeen,
        long errors,
        Optional<String> stoppedEarly) {

    public LoadResult {
        samples = List.copyOf(samples);
    }

    /** No request failed and the run went its whole length. */
    public boolean succeeded() {
        return errors == 0 && stoppedEarly.isEmpty();
    }
}
