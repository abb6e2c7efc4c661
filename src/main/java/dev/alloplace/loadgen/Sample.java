package dev.alloplace.loadgen;

import java.util.OptionalDouble;

/**
 * One second of a run, as the load generator saw it. A figure the run could not measure in that
 * second (no admin endpoint, no answer in time, no interaction answered) is empty, never -1.
 *
 * @param second 1 for the first measured second, and so on; none is skipped
 * @param bytesInPerSecond bytes the clients received in this second, all agents together
 * @param heartbeatP50Millis the median of the server's heartbeats in this second (its histogram)
 * @param serverCpuPercent the server process's CPU use in this second, 100 = every core busy
 */
public record Sample(
        int second,
        int agentsConnected,
        long diffsPerSecond,
        long bytesInPerSecond,
        long bytesOutPerSecond,
        OptionalDouble heartbeatP50Millis,
        OptionalDouble heartbeatP99Millis,
        long interactionsAnswered,
        OptionalDouble interactionP50Millis,
        OptionalDouble interactionP99Millis,
        OptionalDouble serverCpuPercent) {
}
