package dev.alloplace.inspector;

/**
 * One second of the place as the inspector's charts show it.
 *
 * @param time place clock ({@code server_time}) at the end of the second
 * @param heartbeatMaxMs the longest heartbeat that ended in the second
 * @param heartbeatMeanMs the mean of the heartbeats that ended in it
 * @param bytesOutPerSecond UDP bytes sent, every connection together
 * @param interactionsPerSecond interactions the place handled or routed or refused
 */
public record HistorySample(double time, int agents, int entities, long revision, double heartbeatMaxMs,
        double heartbeatMeanMs, double bytesOutPerSecond, double bytesInPerSecond, double interactionsPerSecond) {
}
