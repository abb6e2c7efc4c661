package dev.alloplace.transport;

/** Host-wide counters since start, safe to read from any thread. */
public record TransportStats(
        int connections,
        long datagramsSent,
        long datagramsReceived,
        long bytesSent,
        long bytesReceived,
        long datagramsDropped,
        long retransmits) {
}
