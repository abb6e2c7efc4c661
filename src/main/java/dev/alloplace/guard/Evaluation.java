package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mutable state of one match: variable slots and the remaining step budget. Created per
 * match and never shared, so a {@link CompiledGuard} can be used from any thread. Once a limit
 * is hit (steps, value depth, the size of a computed integer) the match is over: every further
 * {@link #spend} fails, and the result says the limit was hit.
 */
final class Evaluation {

    final JsonNode[] slots;
    final HostEnvironment host;
    private final int maxValueDepth;
    private final int allowance;
    private int steps;
    private boolean exhausted;

    Evaluation(int slotCount, GuardLimits limits, HostEnvironment host) {
        this(slotCount, limits, host, limits.maxSteps());
    }

    /** With {@code maxSteps} (at most the limits' own) for this match. */
    Evaluation(int slotCount, GuardLimits limits, HostEnvironment host, int maxSteps) {
        this.slots = new JsonNode[slotCount];
        this.host = host;
        this.maxValueDepth = limits.maxValueDepth();
        this.allowance = maxSteps;
        this.steps = maxSteps;
    }

    /** Steps spent so far (all of them once exhausted). */
    int spent() {
        return exhausted ? allowance : allowance - steps;
    }

    /** Spends {@code n} steps; false (and exhausted for good) when the budget is gone. */
    boolean spend(int n) {
        if (exhausted) {
            return false;
        }
        steps -= n;
        if (steps < 0) {
            exhausted = true;
            return false;
        }
        return true;
    }

    /** Whether a value this deep may still be descended into; if not, the match is over. */
    boolean within(int valueDepth) {
        if (valueDepth > maxValueDepth) {
            exhausted = true;
        }
        return !exhausted;
    }

    /** Ends the match as over its limits. */
    void exhaust() {
        exhausted = true;
    }

    boolean exhausted() {
        return exhausted;
    }
}
