package dev.alloplace.guard;

/**
 * Bounds that make compiling and evaluating untrusted guard text safe: a rule or subscription
 * sent by a stranger can never take more than a known amount of memory, stack or time.
 *
 * @param maxSourceLength most characters in one source text
 * @param maxDepth most nesting levels in a pattern or guard expression (also bounds evaluation stack)
 * @param maxSteps most evaluation steps for one match (pattern nodes, guard nodes, compared values);
 *                 a match that runs out is a non-match
 * @param maxValueDepth deepest JSON value the evaluator descends into when comparing; deeper is a guard error
 */
public record GuardLimits(int maxSourceLength, int maxDepth, int maxSteps, int maxValueDepth) {

    /** Highest accepted {@code maxDepth}: parsing recurses about ten frames per level. */
    public static final int MAX_DEPTH_CEILING = 256;
    /** Highest accepted {@code maxValueDepth}: comparing values recurses one frame per level. */
    public static final int MAX_VALUE_DEPTH_CEILING = 4096;

    public GuardLimits {
        if (maxSourceLength < 1 || maxDepth < 1 || maxSteps < 1 || maxValueDepth < 1) {
            throw new IllegalArgumentException("guard limits must be positive: " + maxSourceLength + ", "
                    + maxDepth + ", " + maxSteps + ", " + maxValueDepth);
        }
        if (maxDepth > MAX_DEPTH_CEILING || maxValueDepth > MAX_VALUE_DEPTH_CEILING) {
            throw new IllegalArgumentException("guard depth limits are capped at " + MAX_DEPTH_CEILING
                    + " (expressions) and " + MAX_VALUE_DEPTH_CEILING + " (values) to keep the stack safe");
        }
    }

    /** 8 KiB of source, 64 levels of nesting, 10,000 steps, values 1,000 deep (Jackson's own parse limit). */
    public static GuardLimits defaults() {
        return new GuardLimits(8192, 64, 10_000, 1000);
    }
}
