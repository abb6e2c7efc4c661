package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What one match found. Only {@link Matched} counts as a match; the other two are told apart so
 * that callers can count adversarial rules that run out of steps.
 */
public sealed interface MatchResult permits MatchResult.Matched, MatchResult.NoMatch, MatchResult.StepsExhausted {

    default boolean matched() {
        return this instanceof Matched;
    }

    /** The pattern matched and the guard returned {@code true}; bindings of every named variable. */
    record Matched(Map<String, JsonNode> bindings) implements MatchResult {
        public Matched {
            bindings = Map.copyOf(bindings);
        }
    }

    /** The pattern did not match, or the guard was not {@code true}, or it raised a guard error. */
    record NoMatch() implements MatchResult {
    }

    /**
     * The match hit a limit and was abandoned: it needed more than {@link GuardLimits#maxSteps()}
     * steps, or compared values nested deeper than {@link GuardLimits#maxValueDepth()}.
     */
    record StepsExhausted() implements MatchResult {
    }
}
