package dev.alloplace.transport;

/**
 * A point-in-time view of one connection's counters, safe to read from any thread.
 *
 * @param roundTripTimeMillis smoothed round-trip time
 * @param packetThrottle current packet throttle, 0..32 (32 = fully open)
 * @param bytesPending payload bytes queued or sent reliably and not yet acknowledged: 0 means
 *     everything sent reliably so far has been delivered
 */
public record ConnectionStats(
        long roundTripTimeMillis,
        long roundTripTimeVarianceMillis,
        int packetThrottle,
        long packetsSent,
        long packetsReceived,
        long bytesSent,
        long bytesReceived,
        long packetsLost,
        long retransmits,
        long messagesDropped,
        long bytesPending) {
}
