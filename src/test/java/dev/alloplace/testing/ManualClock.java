package dev.alloplace.testing;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test says so, for a place whose heartbeats,
 * deadlines and pacing the test steps instead of sleeping through. Whoever waits on it is told
 * when it moves.
 */
public final class ManualClock implements LongSupplier {

    private volatile long nanos = 1_000_000_000L;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public long getAsLong() {
        return nanos;
    }

    public void advance(Duration by) {
        synchronized (this) {
            nanos += by.toNanos();
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every move (a place loop parked until its next deadline wakes up). */
    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }
}
