package dev.alloplace.guard;

/**
 * Evaluation steps shared by several matches, so that the total cost of one piece of work (a
 * publication tested against every subscription) is bounded and known to whoever pays for it.
 * Each match still stops at its own guard's {@link GuardLimits#maxSteps()}. Not thread-safe: one
 * budget belongs to one piece of work on one thread.
 */
public final class StepBudget {

    private final long allowance;
    private long remaining;

    public StepBudget(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("a step budget cannot be negative: " + steps);
        }
        this.allowance = steps;
        this.remaining = steps;
    }

    public long remaining() {
        return remaining;
    }

    /** Steps spent so far by the matches run against this budget. */
    public long spent() {
        return allowance - remaining;
    }

    public boolean exhausted() {
        return remaining <= 0;
    }

    void take(long steps) {
        remaining = Math.max(0, remaining - steps);
    }
}
