package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pattern with optional guards, compiled once and immutable: safe to share between threads
 * and to match millions of times. Each match gets its own variable slots and step budget.
 */
public final class CompiledGuard {

    private static final MatchResult NO_MATCH = new MatchResult.NoMatch();
    private static final MatchResult EXHAUSTED = new MatchResult.StepsExhausted();

    private final String source;
    private final Pattern pattern;
    private final List<Expr> guards;
    private final List<String> variables;
    private final GuardLimits limits;

    CompiledGuard(String source, Pattern pattern, List<Expr> guards, List<String> variables, GuardLimits limits) {
        this.source = source;
        this.pattern = pattern;
        this.guards = List.copyOf(guards);
        this.variables = List.copyOf(variables);
        this.limits = limits;
    }

    /** The text this guard was compiled from, exactly as given. */
    public String source() {
        return source;
    }

    /** Names of the variables the pattern binds, in order of first appearance. */
    public List<String> variables() {
        return variables;
    }

    /** Whether the value matches; guards using host functions get no environment here. */
    public boolean matches(JsonNode value) {
        return matches(value, HostEnvironment.NONE);
    }

    /** Whether the value matches the pattern and a guard evaluates to exactly {@code true}. */
    public boolean matches(JsonNode value, HostEnvironment host) {
        Evaluation e = new Evaluation(variables.size(), limits, host);
        return run(value, e);
    }

    /**
     * Whether the value matches, spending at most what is left of {@code budget} (and never more
     * than this guard's own step limit); the steps spent are taken from the budget. A match that
     * runs out of steps is a non-match, as always.
     */
    public boolean matches(JsonNode value, HostEnvironment host, StepBudget budget) {
        int allowance = (int) Math.min(limits.maxSteps(), budget.remaining());
        if (allowance <= 0) {
            return false;
        }
        Evaluation e = new Evaluation(variables.size(), limits, host, allowance);
        boolean matched = run(value, e);
        budget.take(e.spent());
        return matched;
    }

    /** Like {@link #matches(JsonNode, HostEnvironment)} but says why not, and returns the bindings. */
    public MatchResult match(JsonNode value, HostEnvironment host) {
        return match(value, host, new StepBudget(Long.MAX_VALUE));
    }

    /**
     * As {@link #match(JsonNode, HostEnvironment)}, adding the steps it spent to {@code spent}
     * (whoever runs several matches for one piece of work pays for all of them); {@code spent}
     * does not limit the match, its own {@link GuardLimits#maxSteps()} does.
     */
    public MatchResult match(JsonNode value, HostEnvironment host, StepBudget spent) {
        Evaluation e = new Evaluation(variables.size(), limits, host);
        boolean matched = run(value, e);
        spent.take(e.spent());
        if (matched) {
            Map<String, JsonNode> bindings = new LinkedHashMap<>();
            for (int i = 0; i < variables.size(); i++) {
                bindings.put(variables.get(i), e.slots[i]);
            }
            return new MatchResult.Matched(bindings);
        }
        return e.exhausted() ? EXHAUSTED : NO_MATCH;
    }

    /**
     * Elixir's {@code when a when b}: the guards are tried in order and an error in one (it is
     * false) does not stop the next.
     */
    private boolean run(JsonNode value, Evaluation e) {
        if (value == null || !pattern.match(value, e)) {
            return false;
        }
        if (guards.isEmpty()) {
            return true;
        }
        for (Expr guard : guards) {
            JsonNode result = guard.eval(e);
            if (e.exhausted()) {
                return false;
            }
            if (result != null && result.isBoolean() && result.booleanValue()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
