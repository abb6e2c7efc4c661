package dev.alloplace.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst made the JVM commit back to the operating system once the burst is
 * over, at no cost to a quiet place. G1 uncommits heap only at the end of a concurrent cycle
 * (or a full collection), and learns that what a burst left in the old generation is garbage only
 * by marking it; its own timer for that ({@code G1PeriodicGCInterval}) runs a cycle every
 * interval in an idle place forever, which was half of an idle place's CPU. This looks at the
 * heap every interval instead and asks for one concurrent cycle ({@code System.gc()} under
 * {@code -XX:+ExplicitGCInvokesConcurrent}, so the place thread never pauses for a full
 * collection) only when there is something for it: the old generation grew by at least
 * {@code minBytes} since the last cycle, or the committed heap is at least {@code minBytes} more
 * than what is in use needs at the JVM's {@code MaxHeapFreeRatio}. A cycle that neither gave back
 * nor freed that much doubles the wait before the next try (up to {@link #MAX_BACKOFF} intervals);
 * one that did is followed by another at the next look if there is still something to give back.
 */
public final class MemoryReturn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryReturn.class);

    /** The longest wait, in intervals, after collections that gave nothing back. */
    static final int MAX_BACKOFF = 16;

    /**
     * The heap as the JVM reports it: bytes in use, committed, the size it may not shrink below,
     * and the bytes in use in the old generation (which only a marking cycle learns are garbage).
     */
    record Heap(long used, long committed, long floor, long oldUsed) {
    }

    private final long minBytes;
    private final double maxFreeRatio;
    private final Supplier<Heap> gauge;
    private final Runnable collect;
    private ScheduledExecutorService timer;
    private Heap beforeCollecting;
    /** The old generation's use after the last cycle, or lower if the JVM's own collections brought it down since. */
    private long oldBaseline = Long.MAX_VALUE;
    private int backoff = 1;
    private int waits;
    private long collections;
    private long returnedBytes;

    MemoryReturn(long minBytes, double maxFreeRatio, Supplier<Heap> gauge, Runnable collect) {
        if (minBytes < 1 || maxFreeRatio <= 0 || maxFreeRatio >= 1) {
            throw new IllegalArgumentException("minBytes must be positive and maxFreeRatio within (0, 1)");
        }
        this.minBytes = minBytes;
        this.maxFreeRatio = maxFreeRatio;
        this.gauge = gauge;
        this.collect = collect;
    }

    /**
     * Starts looking every {@code interval} in this JVM, or says why it cannot: it needs G1 with
     * explicit collections run concurrently (config/jvm.options sets both).
     */
    public static Optional<MemoryReturn> start(Duration interval, long minBytes) {
        if (interval.isZero()) {
            return Optional.empty();
        }
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null || !flag(vm, "UseG1GC") || !flag(vm, "ExplicitGCInvokesConcurrent") || flag(vm, "DisableExplicitGC")) {
            log.info("heap is not given back between bursts by alloplace: that needs -XX:+UseG1GC "
                    + "-XX:+ExplicitGCInvokesConcurrent (config/jvm.options has both)");
            return Optional.empty();
        }
        double maxFreeRatio = Integer.parseInt(vm.getVMOption("MaxHeapFreeRatio").getValue()) / 100.0;
        MemoryReturn memory = new MemoryReturn(minBytes, Math.min(0.99, Math.max(0.01, maxFreeRatio)), MemoryReturn::jvmHeap,
                System::gc);
        memory.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "memory-return");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        });
        long millis = interval.toMillis();
        memory.timer.scheduleWithFixedDelay(memory::checkLogged, millis, millis, TimeUnit.MILLISECONDS);
        return Optional.of(memory);
    }

    /** One look at the heap; true if it asked for a collection. */
    boolean check() {
        Heap heap = gauge.get();
        if (beforeCollecting != null) {
            long returned = beforeCollecting.committed() - heap.committed();
            long freed = beforeCollecting.oldUsed() - heap.oldUsed();
            returnedBytes += Math.max(0, returned);
            backoff = returned >= minBytes || freed >= minBytes ? 1 : Math.min(MAX_BACKOFF, backoff * 2);
            waits = backoff - 1;
            oldBaseline = heap.oldUsed();
            beforeCollecting = null;
            log.debug("heap after a collection: {} of {} committed bytes in use, {} given back, {} freed in the old "
                    + "generation", heap.used(), heap.committed(), returned, freed);
        } else {
            oldBaseline = Math.min(oldBaseline, heap.oldUsed());
        }
        if (waits > 0) {
            waits--;
            return false;
        }
        boolean oldGrew = heap.oldUsed() - oldBaseline >= minBytes;
        boolean overCommitted = heap.committed() - needed(heap) >= minBytes;
        if (!oldGrew && !overCommitted) {
            return false;
        }
        beforeCollecting = heap;
        collections++;
        collect.run();
        return true;
    }

    /** What the heap would keep after a collection: room for what is in use at the free ratio, never under its floor. */
    private long needed(Heap heap) {
        return Math.max(heap.floor(), (long) Math.ceil(heap.used() / (1 - maxFreeRatio)));
    }

    /** Collections asked for so far. */
    long collections() {
        return collections;
    }

    /** Committed heap those collections gave back, in bytes. */
    long returnedBytes() {
        return returnedBytes;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void checkLogged() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("looking at the heap failed: {}", e.toString());
        }
    }

    private static Heap jvmHeap() {
        MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long old = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old Gen")) {
                old += pool.getUsage().getUsed();
            }
        }
        return new Heap(usage.getUsed(), usage.getCommitted(), Math.max(0, usage.getInit()), old);
    }

    private static boolean flag(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return Boolean.parseBoolean(vm.getVMOption(name).getValue());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
