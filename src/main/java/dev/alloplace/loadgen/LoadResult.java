package dev.alloplace.loadgen;

import java.util.List;

/**
 * What a run measured.
 *
 * @param lateJoinMillis time from a fresh agent's announce to a complete mirror of the place, the
 *     median of seven latecomers after warm-up ones, once the static entities exist (-1 when not measured)
 * @param bytesPerClientPerSecond mean bytes each agent received per second over the run
 * @param heartbeatCpuP50Millis the place thread's CPU time per heartbeat (the server's work without
 *     waiting for a core, which matters when the load generator shares the machine)
 * @param diffEfficiency merge-patch bytes the server sent over the run divided by the changed JSON
 *     they carried (the server's own count; -1 without the admin endpoint)
 */
public record LoadResult(
        LoadPlan plan,
        List<Sample> samples,
        double heartbeatP50Millis,
        double heartbeatP99Millis,
        double bytesPerClientPerSecond,
        double lateJoinMillis,
        double interactionP50Millis,
        double interactionP99Millis,
        long disconnectsSeen,
        long errors,
        double diffEfficiency,
        double heartbeatCpuP50Millis,
        double heartbeatCpuP99Millis) {
}
