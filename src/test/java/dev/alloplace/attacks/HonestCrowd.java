package dev.alloplace.attacks;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Intent;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The honest side of an attack test: announced visors on a real place over ENet, one of them
 * walking so the world changes every heartbeat, and what they observe (diffs per second, whether
 * a newcomer can still join). Also the in-process heap gauge the attack tests assert on.
 */
final class HonestCrowd {

    private final TestPlace place;
    private final List<AlloClient> clients = new ArrayList<>();
    private int joined;

    private HonestCrowd(TestPlace place) {
        this.place = place;
    }

    /** {@code count} announced clients; the first keeps walking. */
    static HonestCrowd join(TestPlace place, int count) throws Exception {
        HonestCrowd crowd = new HonestCrowd(place);
        for (int i = 0; i < count; i++) {
            crowd.clients.add(crowd.newcomer());
        }
        crowd.clients.get(0).setIntent(new Intent(null, true, 1, 0, 0.5, 0, Map.of(), 0));
        return crowd;
    }

    /** Connects and announces one more client, as a visor joining would; fails if it cannot. */
    AlloClient newcomer() throws Exception {
        String name = "honest-" + joined++;
        AlloClient client = place.connect(ClientOptions.defaults(name));
        Waits.await(name + "'s announce is answered", client.announce());
        return client;
    }

    /** The fewest diffs per second any honest client applied over {@code millis} of wall time. */
    double slowestDiffRate(long millis) throws Exception {
        long[] before = new long[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            before[i] = Waits.await("honest-" + i + "'s diff counters", clients.get(i).diffCounters())[0];
        }
        long start = System.nanoTime();
        Waits.wallClock(Duration.ofMillis(millis), "a rate is measured over wall time");
        double seconds = (System.nanoTime() - start) / 1e9;
        double slowest = Double.MAX_VALUE;
        for (int i = 0; i < clients.size(); i++) {
            long after = Waits.await("honest-" + i + "'s diff counters", clients.get(i).diffCounters())[0];
            slowest = Math.min(slowest, (after - before[i]) / seconds);
        }
        return slowest;
    }

    /** True while every honest client is still connected. */
    boolean allConnected() {
        return clients.stream().noneMatch(client -> client.disconnected().isDone());
    }

    /** Heap in use after full collections, in bytes (the server runs in this JVM). */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Waits.wallClock(Duration.ofMillis(50), "the collector's concurrent work settles between readings");
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Prints a measured figure when {@code -Dalloplace.attacks.report=true} (for docs/security.md). */
    static void report(String what, Object... values) {
        if (Boolean.getBoolean("alloplace.attacks.report")) {
            System.err.println("attack report: " + String.format(what, values));
        }
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
