package dev.alloplace.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap in use in the test JVM (where the place under test runs), read after full collections so
 * that garbage does not count: what an attack made the place keep. "Memory comes back" is
 * {@link #untilBackTo}: once the attack is over and the place has dropped its attackers, what is
 * live returns to what it was before, within a small margin for the test's own noise.
 */
public final class HeapGauge {

    /** How long the place may take to let go of an attack: its deadlines (announce 10 s, handshake 5 s) and history. */
    public static final Duration LETTING_GO = Duration.ofSeconds(30);

    private HeapGauge() {
    }

    /** Heap in use after full collections, in bytes: the least of three readings. */
    public static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Returns the first reading within {@code marginBytes} of {@code baselineBytes}, measured every
     * 250 ms for up to {@link #LETTING_GO}; fails with the last reading otherwise.
     */
    public static long untilBackTo(String after, long baselineBytes, long marginBytes) {
        AtomicLong last = new AtomicLong();
        try {
            Waits.until("the heap after " + after + " is back within " + mib(marginBytes) + " of its baseline "
                    + mib(baselineBytes), LETTING_GO, Duration.ofMillis(250), () -> {
                        last.set(usedAfterGc());
                        return last.get() <= baselineBytes + marginBytes;
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last reading " + mib(last.get()) + ", +"
                    + mib(last.get() - baselineBytes) + ")", e);
        }
        return last.get();
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
