package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * The mutable state of one match: variable slots and the remaining step budget. Created per
 * match and never shared, so a {@link CompiledGuard} can be used from any thread.
 */
final class Evaluation {

    final JsonNode[] slots;
    final HostEnvironment host;
    final int maxValueDepth;
    private int allowance;
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

    boolean exhausted() {
        return exhausted;
    }

    void reset(int maxSteps) {
        Arrays.fill(slots, null);
        allowance = maxSteps;
        steps = maxSteps;
        exhausted = false;
    }
}
