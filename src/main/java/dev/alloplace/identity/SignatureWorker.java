package dev.alloplace.identity;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One thread for the place's signatures and verifications, so that their cost (0.6 to 0.8 ms
 * each with the JDK's Ed25519) never stalls the place loop. Jobs wait in a bounded
 * queue; when it is full a job is refused, not queued. The thread ends when idle and is started
 * again by the next job.
 */
public final class SignatureWorker implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    public SignatureWorker(int maxPending) {
        this.executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxPending), runnable -> {
            Thread thread = new Thread(runnable, "alloplace-identity");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code job} on the signature thread; null when {@code maxPending} jobs already wait. */
    public <T> CompletableFuture<T> submit(Supplier<T> job) {
        try {
            return CompletableFuture.supplyAsync(job, executor);
        } catch (RejectedExecutionException full) {
            return null;
        }
    }

    /** Jobs waiting now (not counting the one running). */
    public int pending() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
