package dev.alloplace.testing;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits that say what they wait for. A test waits for something to happen (an answer, a state,
 * a disconnect), never for time to pass; only a bound keeps a broken test from hanging, and
 * when it runs out the failure names what never happened. Where a test is really about wall
 * time on the network (ENet timeouts, a lossy link), {@link #wallClock} says so.
 */
public final class Waits {

    /** How long a test waits for anything before it fails: generous, since a shared machine is slow. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Waits() {
    }

    /**
     * The value of {@code future}, once it has one. A future that fails throws its
     * {@link ExecutionException} as {@link Future#get()} does.
     *
     * @param what what completes the future, for the failure message ("annie's announce is answered")
     */
    public static <T> T await(String what, Future<T> future) throws ExecutionException, InterruptedException {
        return await(what, PATIENCE, future);
    }

    /** As {@link #await(String, Future)}, for something that may take longer than {@link #PATIENCE}. */
    public static <T> T await(String what, Duration patience, Future<T> future)
            throws ExecutionException, InterruptedException {
        try {
            return future.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + patience.toMillis() + " ms until " + what + "; it did not happen", e);
        }
    }

    /** Why {@code future} failed (its cause); an assertion error if it succeeds or never completes. */
    public static Throwable failure(String what, Future<?> future) throws InterruptedException {
        try {
            Object value = await(what, future);
            throw new AssertionError("expected " + what + " to fail, it gave " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Returns once {@code condition} holds, checking it every few milliseconds: for what no
     * future announces (a sidecar's log of requests, a counter of another thread).
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, Duration.ofNanos(POLL_NANOS), condition::getAsBoolean);
    }

    /** A condition that may throw while it is checked (it asks the place or a client). */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /**
     * As {@link #until(String, BooleanSupplier)}, for a costly check made every {@code every},
     * for up to {@code patience}.
     */
    public static void until(String what, Duration patience, Duration every, Check condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (!condition.holds()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("waited " + patience.toMillis() + " ms until " + what + "; it did not happen");
                }
                LockSupport.parkNanos(every.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting until " + what, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("checking whether " + what + " failed: " + e, e);
        }
    }

    /**
     * Lets {@code time} pass on the wall clock, for a test that is about wall time itself (a
     * peer's silence outlasting an ENet timeout, a lossy link): {@code why} names it.
     */
    public static void wallClock(Duration time, String why) throws InterruptedException {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("say why the test waits on the wall clock");
        }
        Thread.sleep(time.toMillis());
    }
}
