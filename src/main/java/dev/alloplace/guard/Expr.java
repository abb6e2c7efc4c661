package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;

/**
 * The compiled guard: immutable expression nodes. {@link #eval} returns the value, or
 * {@code null} for a guard error (a wrong type, a missing key, a limit hit); an error anywhere
 * makes the whole guard false, as in Elixir, except that {@code and}/{@code or} never evaluate
 * what they skip.
 */
sealed interface Expr permits Expr.Const, Expr.Var, Expr.Apply, Expr.Junction, Expr.InList, Expr.InRange,
        Expr.InValue, Expr.ListLit, Expr.ConsLit, Expr.MapLit, Expr.HostCall {

    JsonNode eval(Evaluation e);

    record Const(JsonNode value) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            return e.spend(1) ? value : null;
        }
    }

    record Var(String name, int slot) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            return e.spend(1) ? e.slots[slot] : null;
        }
    }

    /** An operator or built-in function: its arguments from left to right, then the function. */
    record Apply(Builtin fn, List<Expr> args) implements Expr {
        public Apply {
            args = List.copyOf(args);
            if (args.size() != fn.arity) {
                throw new IllegalArgumentException(fn + " takes " + fn.arity + " arguments, given " + args.size());
            }
        }

        @Override
        public JsonNode eval(Evaluation e) {
            if (!e.spend(1)) {
                return null;
            }
            JsonNode x = args.get(0).eval(e);
            if (x == null) {
                return null;
            }
            if (fn.arity == 1) {
                return fn.apply(x, e);
            }
            JsonNode y = args.get(1).eval(e);
            if (y == null) {
                return null;
            }
            if (fn.arity == 2) {
                return fn.apply(x, y, e);
            }
            JsonNode z = args.get(2).eval(e);
            return z == null ? null : fn.apply(x, y, z, e);
        }
    }

    /**
     * A chain of {@code and}/{@code or} (strict: each left operand must be a boolean, the last may
     * be anything) or {@code &&}/{@code ||} (truthiness), short-circuiting left to right.
     */
    record Junction(boolean isAnd, boolean strict, List<Expr> operands) implements Expr {
        public Junction {
            operands = List.copyOf(operands);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode v = null;
            int last = operands.size() - 1;
            for (int i = 0; i <= last; i++) {
                v = operands.get(i).eval(e);
                if (v == null || !e.spend(1)) {
                    return null;
                }
                if (i == last) {
                    return v;
                }
                if (strict && !v.isBoolean()) {
                    return null;
                }
                if (Builtin.truthy(v) != isAnd) {
                    return v;
                }
            }
            return v;
        }
    }

    /**
     * {@code x in [a, b]}: Elixir compiles it to {@code x === a or x === b}, so the items are
     * evaluated one by one only until one equals; {@code x in []} is false without evaluating x.
     */
    record InList(boolean negated, Expr element, List<Expr> items) implements Expr {
        public InList {
            items = List.copyOf(items);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            if (items.isEmpty()) {
                return e.spend(1) ? BooleanNode.valueOf(negated) : null;
            }
            JsonNode x = element.eval(e);
            if (x == null) {
                return null;
            }
            for (Expr item : items) {
                JsonNode v = item.eval(e);
                if (v == null) {
                    return null;
                }
                int eq = JsonValues.equal(x, v, e, 0);
                if (eq == JsonValues.ERROR) {
                    return null;
                }
                if (eq == JsonValues.EQUAL) {
                    return BooleanNode.valueOf(!negated);
                }
            }
            return BooleanNode.valueOf(negated);
        }
    }

    /**
     * {@code x in first..last//step} as Elixir 1.14 compiles it. x must be an integer. With a step
     * known at compile time (written as an integer, or implied by two integer bounds: 1, or -1
     * when first &gt; last) x is compared with the bounds in term order (no type check on them;
     * the second bound only if the first comparison held) and, unless the step is 1 or -1,
     * {@code rem(x - first, step)} must be 0; two equal integer bounds mean {@code x === first}.
     * Otherwise first and last must be integers too (else false, checked in that order so a later
     * error is never reached), the step (default ±1) is compared with 0 in term order to choose the
     * direction, and {@code rem(x - first, step)} must be 0 (an error for a step that is no integer).
     */
    record InRange(boolean negated, Expr element, Expr first, Expr last, Expr step, BigInteger knownStep,
            boolean sameBounds) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            Boolean in = sameBounds ? same(e) : knownStep != null ? known(e) : dynamic(e);
            return in == null ? null : BooleanNode.valueOf(in != negated);
        }

        private Boolean same(Evaluation e) {
            JsonNode x = element.eval(e);
            JsonNode a = x == null ? null : first.eval(e);
            if (a == null) {
                return null;
            }
            int eq = JsonValues.equal(x, a, e, 0);
            return eq == JsonValues.ERROR ? null : eq == JsonValues.EQUAL;
        }

        private Boolean known(Evaluation e) {
            JsonNode x = element.eval(e);
            if (x == null) {
                return null;
            }
            if (!x.isIntegralNumber()) {
                return Boolean.FALSE;
            }
            boolean up = knownStep.signum() > 0;
            JsonNode a = first.eval(e);
            if (a == null) {
                return null;
            }
            int fromFirst = JsonValues.compare(x, a, e, 0);
            if (fromFirst == JsonValues.UNORDERED) {
                return null;
            }
            if (up ? fromFirst < 0 : fromFirst > 0) {
                return Boolean.FALSE;
            }
            JsonNode b = last.eval(e);
            if (b == null) {
                return null;
            }
            int fromLast = JsonValues.compare(x, b, e, 0);
            if (fromLast == JsonValues.UNORDERED) {
                return null;
            }
            if (up ? fromLast > 0 : fromLast < 0) {
                return Boolean.FALSE;
            }
            if (knownStep.abs().equals(BigInteger.ONE)) {
                return Boolean.TRUE;
            }
            return divides(x, a, Numbers.of(knownStep), e);
        }

        private Boolean dynamic(Evaluation e) {
            JsonNode x = element.eval(e);
            if (x == null) {
                return null;
            }
            if (!x.isIntegralNumber()) {
                return Boolean.FALSE;
            }
            JsonNode a = first.eval(e);
            if (a == null) {
                return null;
            }
            if (!a.isIntegralNumber()) {
                return Boolean.FALSE;
            }
            JsonNode b = last.eval(e);
            if (b == null) {
                return null;
            }
            if (!b.isIntegralNumber()) {
                return Boolean.FALSE;
            }
            JsonNode s;
            if (step == null) {
                s = JsonNodeFactory.instance.numberNode(Numbers.big(a).compareTo(Numbers.big(b)) > 0 ? -1 : 1);
            } else {
                s = step.eval(e);
                if (s == null) {
                    return null;
                }
            }
            int sign = JsonValues.compare(s, JsonNodeFactory.instance.numberNode(0), e, 0);
            if (sign == JsonValues.UNORDERED || !e.spend(Numbers.cost(a, b, false) + Numbers.cost(x, a, false))) {
                return null;
            }
            BigInteger xi = Numbers.big(x);
            BigInteger ai = Numbers.big(a);
            BigInteger bi = Numbers.big(b);
            boolean between = sign > 0 ? ai.compareTo(xi) <= 0 && xi.compareTo(bi) <= 0
                    : sign < 0 && bi.compareTo(xi) <= 0 && xi.compareTo(ai) <= 0;
            return between ? divides(x, a, s, e) : Boolean.FALSE;
        }

        /** {@code rem(x - first, step) === 0}; null where Erlang raises. */
        private static Boolean divides(JsonNode x, JsonNode first, JsonNode step, Evaluation e) {
            if (!first.isNumber() || !step.isNumber() || !e.spend(Numbers.cost(x, first, true))) {
                return null;
            }
            JsonNode offset = Numbers.subtract(x, first);
            JsonNode r = offset == null ? null : Numbers.remainder(offset, step);
            return r == null ? null : Numbers.big(r).signum() == 0;
        }
    }

    /**
     * Extension: {@code x in list} with a list computed at match time (Elixir allows only a literal
     * list or range in a guard); the same as {@code :lists.member(x, list)}: strict, and an error
     * unless it is a list.
     */
    record InValue(boolean negated, Expr element, Expr list) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode x = element.eval(e);
            JsonNode l = x == null ? null : list.eval(e);
            if (l == null || !l.isArray()) {
                return null;
            }
            for (JsonNode item : l) {
                int eq = JsonValues.equal(x, item, e, 0);
                if (eq == JsonValues.ERROR) {
                    return null;
                }
                if (eq == JsonValues.EQUAL) {
                    return BooleanNode.valueOf(!negated);
                }
            }
            return BooleanNode.valueOf(negated);
        }
    }

    record ListLit(List<Expr> items) implements Expr {
        public ListLit {
            items = List.copyOf(items);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            if (!e.spend(1)) {
                return null;
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
            for (Expr item : items) {
                JsonNode v = item.eval(e);
                if (v == null) {
                    return null;
                }
                out.add(v);
            }
            return out;
        }
    }

    /**
     * {@code [a, b | tail]} built in the guard. A tail that is no list would make an improper
     * list, which no JSON value is and this engine does not represent: such a match is abandoned
     * as over its limits.
     */
    record ConsLit(List<Expr> heads, Expr tail) implements Expr {
        public ConsLit {
            heads = List.copyOf(heads);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            if (!e.spend(1)) {
                return null;
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (Expr item : heads) {
                JsonNode v = item.eval(e);
                if (v == null) {
                    return null;
                }
                out.add(v);
            }
            JsonNode t = tail.eval(e);
            if (t == null) {
                return null;
            }
            if (!t.isArray()) {
                e.exhaust();
                return null;
            }
            if (!e.spend(1 + (t.size() >> 4))) {
                return null;
            }
            out.addAll((ArrayNode) t);
            return out;
        }
    }

    /** A map built in the guard; a key given twice keeps its last value, as in Elixir. */
    record MapLit(List<String> keys, List<Expr> values) implements Expr {
        public MapLit {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            if (!e.spend(1)) {
                return null;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < keys.size(); i++) {
                JsonNode v = values.get(i).eval(e);
                if (v == null) {
                    return null;
                }
                out.set(keys.get(i), v);
            }
            return out;
        }
    }

    /** A function the embedding program declared in {@link HostFunctions}. */
    record HostCall(String name, List<Expr> args) implements Expr {
        public HostCall {
            args = List.copyOf(args);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode[] values = evalArgs(args, e);
            if (values == null) {
                return null;
            }
            try {
                return e.host.call(name, values);
            } catch (RuntimeException hostFailure) {
                return null;
            }
        }
    }

    private static JsonNode[] evalArgs(List<Expr> args, Evaluation e) {
        if (!e.spend(1)) {
            return null;
        }
        JsonNode[] values = new JsonNode[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = args.get(i).eval(e);
            if (values[i] == null) {
                return null;
            }
        }
        return values;
    }
}
