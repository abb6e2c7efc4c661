package dev.alloplace.enet;

import dev.alloplace.transport.TransportStats;

/**
 * Host-wide traffic counters. Counted on the host's thread; {@link #publish} copies them into an
 * immutable {@link TransportStats} that any thread may read.
 */
final class HostCounters {
    long datagramsSent;
    long datagramsReceived;
    long bytesSent;
    long bytesReceived;
    long datagramsDropped;
    long retransmits;
    long refusals;
    private volatile TransportStats published = new TransportStats(0, 0, 0, 0, 0, 0, 0);

    void sent(int bytes) {
        datagramsSent++;
        bytesSent += bytes;
    }

    void received(int bytes) {
        datagramsReceived++;
        bytesReceived += bytes;
    }

    void publish(int connections) {
        published = new TransportStats(connections, datagramsSent, datagramsReceived, bytesSent, bytesReceived,
                datagramsDropped, retransmits);
    }

    TransportStats published() {
        return published;
    }
}
