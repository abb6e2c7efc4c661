package dev.alloplace.server.attacks;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The honest side of an attack test: a few clients that only watch the world (they acknowledge
 * every diff, without keeping a mirror, so the test machine spends its cores on the place), each
 * with a socket and threads of its own as a visor has (one socket for all of them would overflow
 * when the loaded test machine is slow to read it, and lose the diffs there), and
 * what they see over a stretch of time. "Keep getting diffs" is judged in two parts that a
 * loaded test machine does not blur: the heartbeat is not starved by the place's own work (it
 * keeps its rate next to a quiet stretch measured just before on the same machine, or the place
 * thread was idle most of the time, so what delayed it was a machine short of cores), and each
 * honest client gets a diff in at least three heartbeats out of four (15 a second at 20 Hz).
 */
final class Honest implements AutoCloseable {

    /** Diffs per heartbeat each honest client must get: 15 a second at 20 Hz. */
    static final double DIFFS_PER_HEARTBEAT = 0.75;

    /** The same while every diff carries entities of 800 KB: 10 a second at 20 Hz. */
    static final double DIFFS_PER_HEARTBEAT_CARRYING_HUGE_ENTITIES = 0.5;

    private final TestPlace place;
    private final List<AlloClient> clients = new ArrayList<>();
    private final List<AlloClientHost> hosts = new ArrayList<>();
    private long[] diffsAtStart;
    private long heartbeatsAtStart;
    private long placeCpuAtStart;
    private long startNanos;

    Honest(TestPlace place, int count) throws Exception {
        this.place = place;
        for (int i = 0; i < count; i++) {
            AlloClientHost host = AlloClientHost.start(new EnetTransport(EnetSettings.loopbackClient()));
            hosts.add(host);
            AlloClient client = Waits.await("honest-" + i + " connects",
                    host.connect(place.address(), ClientOptions.defaults("honest-" + i).withoutMirror()));
            Waits.await("honest-" + i + "'s announce is answered", client.announce());
            clients.add(client);
        }
    }

    @Override
    public void close() {
        hosts.forEach(AlloClientHost::close);
    }

    /** Starts a stretch. */
    void start() throws Exception {
        diffsAtStart = diffs();
        heartbeatsAtStart = place.server().place().stats().heartbeats();
        placeCpuAtStart = placeThreadCpuNanos();
        startNanos = System.nanoTime();
    }

    /** What the honest clients saw since {@link #start()}. */
    Stretch stretch() throws Exception {
        long[] now = diffs();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long heartbeats = place.server().place().stats().heartbeats() - heartbeatsAtStart;
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < now.length; i++) {
            fewest = Math.min(fewest, now[i] - diffsAtStart[i]);
        }
        return new Stretch(seconds, heartbeats, fewest, (placeThreadCpuNanos() - placeCpuAtStart) / 1e9 / seconds);
    }

    /** CPU time of the place loop's thread (one place runs in the test JVM at a time). */
    private static long placeThreadCpuNanos() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if ("alloplace-place".equals(thread.getName())) {
                return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
            }
        }
        return 0;
    }

    /** A quiet stretch of {@code window}, before the attack. */
    Stretch quiet(Duration window) throws Exception {
        start();
        Waits.wallClock(window, "a quiet stretch to compare the attack's rates with, on the same machine now");
        return stretch();
    }

    /**
     * @param heartbeats heartbeats the place ran in the stretch
     * @param fewestDiffs diffs the slowest honest client got in it
     * @param placeBusy the share of the stretch the place thread spent on a core
     */
    record Stretch(double seconds, long heartbeats, long fewestDiffs, double placeBusy) {

        double heartbeatsPerSecond() {
            return heartbeats / seconds;
        }

        double slowestDiffsPerSecond() {
            return fewestDiffs / seconds;
        }

        /**
         * Diffs of the slowest client per heartbeat, leaving out the heartbeat at each end of the
         * stretch: their diffs may still be on the way when the counters are read (a stretch of
         * seven heartbeats would otherwise read 5/7 for a client that missed none).
         */
        double slowestDiffsPerHeartbeat() {
            return heartbeats == 0 ? 0 : Math.min(1.0, (double) fewestDiffs / Math.max(1, heartbeats - 2));
        }

        /** The heartbeat rate the place must keep: 15 a second, or 3/4 of the quiet rate on a machine too loaded for that. */
        double requiredHeartbeatsPerSecond() {
            return Math.min(15, 0.75 * heartbeatsPerSecond());
        }

        @Override
        public String toString() {
            return String.format("%.1f s: %.1f heartbeats/s, place thread busy %.0f %%, slowest honest client %.1f diffs/s"
                    + " (%.2f per heartbeat)", seconds, heartbeatsPerSecond(), 100 * placeBusy, slowestDiffsPerSecond(),
                    slowestDiffsPerHeartbeat());
        }
    }

    private long[] diffs() throws Exception {
        long[] counts = new long[clients.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Waits.await("honest-" + i + "'s diff counters", clients.get(i).diffCounters())[0];
        }
        return counts;
    }
}
