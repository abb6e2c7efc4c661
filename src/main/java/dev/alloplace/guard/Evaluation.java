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
    private int steps;
    private boolean exhausted;

    Evaluation(int slotCount, GuardLimits limits, HostEnvironment host) {
        this.slots = new JsonNode[slotCount];
        this.host = host;
        this.maxValueDepth = limits.maxValueDepth();
        this.steps = limits.maxSteps();
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
        steps = maxSteps;
        exhausted = false;
    }
}
