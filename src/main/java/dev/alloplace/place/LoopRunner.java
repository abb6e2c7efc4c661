package dev.alloplace.place;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LoopAgent} on a thread of its own, in the manner of Agrona's AgentRunner: call
 * {@code doWork()} while it finds work, and when a turn found none wait, parked on the event
 * queue, until the agent's next deadline or the next event. Nothing spins. A turn that throws is
 * logged and the loop goes on, so no input can stop the place's heartbeat.
 */
final class LoopRunner {

    private static final Logger log = LoggerFactory.getLogger(LoopRunner.class);

    /** One thread's worth of work, done in turns. */
    interface LoopAgent {
        void onStart();

        /** Does what is due; returns how much it did (0 = nothing to do now). */
        int doWork();

        /** How long the agent may wait for events before it has something due. */
        long idleNanos();

        void onClose();
    }

    private final LoopAgent agent;
    private final EventQueue events;
    private final Thread thread;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean started;

    LoopRunner(String name, LoopAgent agent, EventQueue events) {
        this.agent = agent;
        this.events = events;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    synchronized void start() {
        if (running && !started) {
            started = true;
            thread.start();
        }
    }

    /** Asks the loop to end after its current turn; completes when it has (at once if it never started). */
    synchronized CompletableFuture<Void> stop() {
        running = false;
        events.close();
        if (!started) {
            events.rejectRemaining();
            ended.complete(null);
        }
        return ended;
    }

    private void run() {
        try {
            guarded(agent::onStart);
            while (running) {
                if (turn() == 0 && running) {
                    events.park(agent.idleNanos());
                }
            }
            guarded(agent::onClose);
        } finally {
            events.rejectRemaining();
            ended.complete(null);
        }
    }

    /** One turn of work; a turn that throws did nothing. */
    private int turn() {
        try {
            return agent.doWork();
        } catch (RuntimeException | Error e) {
            log.error("place loop turn failed", e);
            return 0;
        }
    }

    private static void guarded(Runnable turn) {
        try {
            turn.run();
        } catch (RuntimeException | Error e) {
            // An OutOfMemoryError included: the place keeps beating and says so.
            log.error("place loop turn failed", e);
        }
    }
}
