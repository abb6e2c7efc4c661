package dev.alloplace.cli;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * The daemon's SIGTERM/SIGINT handling, registered before anything is bound so that a signal
 * during startup is a clean shutdown too. The hook waits for startup to end: a server that came
 * up is stopped (peers told, place saved) and the JVM exits 0; a startup that failed exits with
 * its own code. Whatever hangs, the JVM is halted after {@link Daemon#SHUTDOWN_BUDGET}.
 */
final class ShutdownHook {

    private enum Phase { STARTING, SERVING, FAILED }

    private final Logger log;
    private final Duration grace;
    private final Thread thread = new Thread(this::onSignal, "alloplace-shutdown");
    private Phase phase = Phase.STARTING;
    private RunningServer server;
    private int failureCode;
    private boolean signalled;

    ShutdownHook(Logger log, Duration grace) {
        this.log = log;
        this.grace = grace;
    }

    void install() {
        Runtime.getRuntime().addShutdownHook(thread);
    }

    /** Startup succeeded; from now on a signal stops {@code started}. */
    synchronized void serving(RunningServer started) {
        server = started;
        phase = Phase.SERVING;
        notifyAll();
    }

    /** Whether a signal arrived (the hook then owns the exit). */
    synchronized boolean signalled() {
        return signalled;
    }

    /**
     * The daemon ends on its own with {@code code} (startup failed, or the server died): the
     * hook steps aside, or, if a signal is being handled, exits with this code itself.
     */
    int exitOnItsOwn(int code) {
        synchronized (this) {
            phase = Phase.FAILED;
            failureCode = code;
            notifyAll();
            if (signalled) {
                return code;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // a signal arrived just now; the hook exits with failureCode
        }
        return code;
    }

    /** Blocks the main thread while the hook finishes (it halts the JVM). */
    void awaitHook() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onSignal() {
        startWatchdog();
        RunningServer toStop;
        synchronized (this) {
            signalled = true;
            if (phase == Phase.STARTING) {
                log.info("signal received while starting; shutting down once startup is done");
            }
            while (phase == Phase.STARTING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (phase != Phase.SERVING) {
                LogFlush.flush();
                Runtime.getRuntime().halt(failureCode);
                return;
            }
            toStop = server;
        }
        log.info("shutting down");
        toStop.stop(grace);
        log.info("stopped");
        LogFlush.flush();
        // A JVM ended by a signal reports 128+signal; a clean, complete shutdown is a success.
        Runtime.getRuntime().halt(Main.EXIT_OK);
    }

    private void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Daemon.SHUTDOWN_BUDGET.toMillis());
                log.warn("shutdown took longer than {} ms; halting", Daemon.SHUTDOWN_BUDGET.toMillis());
                LogFlush.flush();
                Runtime.getRuntime().halt(Main.EXIT_OK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alloplace-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
