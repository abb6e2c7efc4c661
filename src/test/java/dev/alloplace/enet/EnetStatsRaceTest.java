package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The place thread (every heartbeat) and the admin thread read connection statistics while the
 * network thread opens and closes connections. A reader must never lose a live connection nor
 * see its counters go backwards. Under the old host (a plain HashMap looked up from other
 * threads) a reader lost the stable connection whenever the map was resized under it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnetStatsRaceTest {

    /** What the reader is to check: a host and a connection that is open and published. */
    private record Target(EnetHost host, ConnectionId id) {
    }

    @Test
    void aReaderOffTheNetworkThreadNeverLosesALiveConnectionWhilePeersComeAndGo() throws Exception {
        AtomicReference<Target> target = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        AtomicLong backwards = new AtomicLong();
        AtomicReference<Boolean> running = new AtomicReference<>(true);
        Thread reader = new Thread(() -> {
            Target watched = null;
            long lastReceived = 0;
            while (running.get()) {
                Target current = target.get();
                if (current == null) {
                    continue;
                }
                if (current != watched) {
                    watched = current;
                    lastReceived = 0;
                }
                Optional<ConnectionStats> stats = current.host().publishedStats(current.id());
                reads.incrementAndGet();
                if (stats.isEmpty()) {
                    lost.incrementAndGet();
                } else if (stats.get().packetsReceived() < lastReceived) {
                    backwards.incrementAndGet();
                } else {
                    lastReceived = stats.get().packetsReceived();
                }
            }
        }, "stats-reader");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int rounds = 0;
        try {
            while (rounds < 400 && System.nanoTime() < deadline) {
                churn(target);
                rounds++;
            }
        } finally {
            running.set(false);
            reader.join(5_000);
        }
        assertThat(rounds).as("rounds of churn").isPositive();
        assertThat(reads.get()).as("reads while peers came and went").isGreaterThan(1_000);
        assertThat(lost.get()).as("reads that lost the live connection").isZero();
        assertThat(backwards.get()).as("reads whose counters went backwards").isZero();
    }

    /** A fresh server: one stable connection, then a hundred others connecting and leaving around it. */
    private static void churn(AtomicReference<Target> target) {
        HostPair pair = new HostPair(EnetSettings.builder().maxPeers(160).maxPeersPerAddress(160).maxNewcomers(160)
                .maxNewcomersPerAddress(160).build(),
                EnetSettings.loopbackClient().toBuilder().maxPeers(160).build());
        ConnectionId stable = pair.connect(2);
        pair.advance(5);
        target.set(new Target(pair.server, stable));
        List<ConnectionId> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(pair.connect(2));
            if (i % 10 == 0) {
                pair.advance(5);
            }
        }
        for (int i = 0; i < others.size(); i += 2) {
            pair.server.disconnectNow(others.get(i), 0);
        }
        pair.advance(5);
        for (int i = 0; i < 50; i++) {
            pair.connect(2);
        }
        pair.advance(5);
        target.set(null);
    }
}
