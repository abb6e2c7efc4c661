package dev.alloplace.inspector;

import dev.alloplace.place.PlaceStats;
import dev.alloplace.transport.TransportStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of the place at one-second resolution, sampled on the place thread: every
 * heartbeat adds the previous heartbeat's time to the running second, and the first heartbeat
 * of a new second closes it into a {@link HistorySample}. A fixed ring: it never holds more
 * than its capacity. Owned by the place thread.
 */
final class StatsHistory {

    private final HistorySample[] ring;
    private int next;
    private int size;
    private double secondStarted = Double.NaN;
    private double heartbeatMaxNanos;
    private double heartbeatSumNanos;
    private int heartbeatCount;
    private long lastHeartbeats;
    private long lastBytesOut;
    private long lastBytesIn;
    private long lastInteractions;

    StatsHistory(int capacity) {
        this.ring = new HistorySample[capacity];
    }

    /** Called every heartbeat with what was published after the previous one. */
    void heartbeat(double serverTime, PlaceStats stats, java.util.function.Supplier<TransportStats> network) {
        if (Double.isNaN(secondStarted)) {
            TransportStats now = network.get();
            start(serverTime, stats, now);
            return;
        }
        if (stats.heartbeats() != lastHeartbeats) {
            lastHeartbeats = stats.heartbeats();
            heartbeatMaxNanos = Math.max(heartbeatMaxNanos, stats.lastHeartbeatNanos());
            heartbeatSumNanos += stats.lastHeartbeatNanos();
            heartbeatCount++;
        }
        double elapsed = serverTime - secondStarted;
        if (elapsed < 1.0) {
            return;
        }
        TransportStats now = network.get();
        long interactions = stats.interactionsRouted() + stats.interactionsRefused();
        add(new HistorySample(serverTime, stats.agents(), stats.entities(), stats.revision(), heartbeatMaxNanos / 1e6,
                heartbeatCount == 0 ? 0 : heartbeatSumNanos / heartbeatCount / 1e6,
                (now.bytesSent() - lastBytesOut) / elapsed, (now.bytesReceived() - lastBytesIn) / elapsed,
                (interactions - lastInteractions) / elapsed));
        start(serverTime, stats, now);
    }

    private void start(double serverTime, PlaceStats stats, TransportStats network) {
        secondStarted = serverTime;
        heartbeatMaxNanos = 0;
        heartbeatSumNanos = 0;
        heartbeatCount = 0;
        lastHeartbeats = stats.heartbeats();
        lastBytesOut = network.bytesSent();
        lastBytesIn = network.bytesReceived();
        lastInteractions = stats.interactionsRouted() + stats.interactionsRefused();
    }

    void add(HistorySample sample) {
        ring[next] = sample;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    int capacity() {
        return ring.length;
    }

    /** The samples later than {@code time}, oldest first. */
    List<HistorySample> since(double time) {
        List<HistorySample> newer = new ArrayList<>();
        for (int i = size - 1; i >= 0; i--) {
            HistorySample sample = ring[Math.floorMod(next - size + i, ring.length)];
            if (sample.time() <= time) {
                break;
            }
            newer.add(sample);
        }
        java.util.Collections.reverse(newer);
        return newer;
    }
}
