package dev.alloplace.fleet;

import java.time.Duration;

/** Waits that double after each failure up to a ceiling and start over after a success. */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.nextMillis = initialMillis;
    }

    /** The wait before the next attempt, after one more failure. */
    long failed() {
        failures++;
        long wait = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return wait;
    }

    /** Failures since the last success. */
    int failures() {
        return failures;
    }

    void succeeded() {
        failures = 0;
        nextMillis = initialMillis;
    }
}
