package dev.alloplace.loadgen;

/**
 * One second of a run, as the load generator saw it.
 *
 * @param heartbeatP50Millis the server's heartbeat median over its last minute (-1 if unknown)
 * @param bytesInPerSecond bytes the clients received in this second, all agents together
 * @param serverCpuPercent the server process's CPU use (100 = all cores busy), -1 if unknown
 */
public record Sample(
        double secondsSinceStart,
        int agentsConnected,
        long diffsPerSecond,
        long bytesInPerSecond,
        long bytesOutPerSecond,
        double heartbeatMillis,
        double heartbeatP50Millis,
        double heartbeatP99Millis,
        long interactionsAnswered,
        double interactionP50Millis,
        double interactionP99Millis,
        double serverCpuPercent) {
}
