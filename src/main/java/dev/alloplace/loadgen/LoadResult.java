package dev.alloplace.loadgen;

import java.util.List;

/**
 * What a run measured.
 *
 * @param lateJoinMillis time from a fresh agent's connect (it announces at once) to a complete mirror of the place,
 *     measured once after the static entities exist (-1 when not measured)
 * @param bytesPerClientPerSecond mean bytes each agent received per second over the run
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
        long errors) {
}
