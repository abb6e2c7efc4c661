package dev.alloplace.place;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The many-producer, one-consumer queue into the place loop, and the loop's way to wait on it.
 * Producers (the network thread, admin threads) never block; the loop parks when it has nothing
 * to do until the next deadline, and a producer unparks it only while it is parked, so an idle
 * place costs no CPU between its own deadlines.
 */
final class EventQueue {

    private final ConcurrentLinkedQueue<LoopEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong messageBytes = new AtomicLong();
    private volatile Thread parked;
    private volatile boolean closed;

    /** Queues an event and wakes the loop; false once the loop has stopped. */
    boolean offer(LoopEvent event) {
        return offer(event, true);
    }

    /**
     * Queues an event; {@code wake} false leaves a parked loop asleep (the event waits for its
     * next deadline or the next event that wakes it). False once the loop has stopped.
     */
    boolean offer(LoopEvent event, boolean wake) {
        if (closed) {
            return false;
        }
        if (event instanceof LoopEvent.Received received) {
            messages.incrementAndGet();
            messageBytes.addAndGet(received.payload().length);
        }
        events.offer(event);
        Thread sleeper = parked;
        if (wake && sleeper != null) {
            LockSupport.unpark(sleeper);
        }
        return true;
    }

    /** True while the loop waits for its next deadline or event. */
    boolean loopParked() {
        return parked != null;
    }

    LoopEvent poll() {
        LoopEvent event = events.poll();
        if (event instanceof LoopEvent.Received received) {
            messages.decrementAndGet();
            messageBytes.addAndGet(-received.payload().length);
        }
        return event;
    }

    /** Waits up to {@code nanos} unless an event is already here or arrives meanwhile. */
    void park(long nanos) {
        parked = Thread.currentThread();
        try {
            if (events.isEmpty() && !closed && nanos > 0) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            parked = null;
        }
    }

    /** Messages handed over and not yet taken by the loop. */
    int messages() {
        return messages.get();
    }

    long messageBytes() {
        return messageBytes.get();
    }

    /** Refuses further events and wakes the loop; tasks still queued are failed, never run. */
    void close() {
        closed = true;
        Thread sleeper = parked;
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    /** After the loop has ended: fails the callers of tasks that will never run. */
    void rejectRemaining() {
        for (LoopEvent event; (event = poll()) != null; ) {
            if (event instanceof LoopEvent.Task task && task.caller() != null) {
                task.caller().completeExceptionally(new RejectedExecutionException("the place has stopped"));
            }
        }
    }

    boolean closed() {
        return closed;
    }
}
