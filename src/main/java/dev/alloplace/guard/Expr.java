package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The compiled guard: immutable expression nodes. {@link #eval} returns the value, or
 * {@code null} for a guard error (missing key, wrong type, steps exhausted); an error anywhere
 * makes the whole guard false, as in Elixir.
 */
sealed interface Expr permits Expr.Const, Expr.Var, Expr.Index, Expr.Not, Expr.Junction, Expr.Compare,
        Expr.In, Expr.ListLit, Expr.MapLit, Expr.BuiltinCall, Expr.HostCall {

    JsonNode eval(Evaluation e);

    static boolean truthy(JsonNode v) {
        return !(v.isNull() || (v.isBoolean() && !v.booleanValue()));
    }

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

    /** {@code X["key"]} on maps, {@code X[0]} on lists; a missing key or index is a guard error. */
    record Index(Expr target, Expr key) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode t = target.eval(e);
            JsonNode k = t == null ? null : key.eval(e);
            if (k == null || !e.spend(1)) {
                return null;
            }
            if (t.isObject() && k.isTextual()) {
                return t.get(k.textValue());
            }
            if (t.isArray() && k.isIntegralNumber() && k.canConvertToInt()) {
                int i = k.intValue();
                return i >= 0 && i < t.size() ? t.get(i) : null;
            }
            return null;
        }
    }

    /** {@code not} (operand must be boolean) or {@code !} (any value; nil and false are falsy). */
    record Not(boolean strict, Expr operand) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode v = operand.eval(e);
            if (v == null || !e.spend(1) || (strict && !v.isBoolean())) {
                return null;
            }
            return BooleanNode.valueOf(!truthy(v));
        }
    }

    /**
     * A chain of {@code and}/{@code or} (strict: each left operand must be boolean) or
     * {@code &&}/{@code ||} (truthiness), short-circuiting left to right like Elixir.
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
                if (truthy(v) != isAnd) {
                    return v;
                }
            }
            return v;
        }
    }

    enum CompareOp { EQ, NEQ, STRICT_EQ, STRICT_NEQ, LT, LE, GT, GE }

    /** Equality never fails on mixed types; ordering only between two numbers or two strings. */
    record Compare(CompareOp op, Expr left, Expr right) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode l = left.eval(e);
            JsonNode r = l == null ? null : right.eval(e);
            if (r == null) {
                return null;
            }
            switch (op) {
                case EQ, NEQ, STRICT_EQ, STRICT_NEQ -> {
                    boolean strict = op == CompareOp.STRICT_EQ || op == CompareOp.STRICT_NEQ;
                    int eq = JsonValues.equal(l, r, strict, e, 0);
                    if (eq == JsonValues.ERROR) {
                        return null;
                    }
                    boolean want = op == CompareOp.EQ || op == CompareOp.STRICT_EQ;
                    return BooleanNode.valueOf((eq == JsonValues.EQUAL) == want);
                }
                default -> {
                    if (!e.spend(1)) {
                        return null;
                    }
                    int c = JsonValues.compare(l, r);
                    if (c == JsonValues.UNORDERED) {
                        return null;
                    }
                    boolean b = switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                    return BooleanNode.valueOf(b);
                }
            }
        }
    }

    /** {@code X in List} / {@code X not in List}: strict membership, as Elixir guards compile it. */
    record In(boolean negated, Expr element, Expr list) implements Expr {
        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode x = element.eval(e);
            JsonNode l = x == null ? null : list.eval(e);
            if (l == null || !l.isArray()) {
                return null;
            }
            for (JsonNode item : l) {
                int eq = JsonValues.equal(x, item, true, e, 0);
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

    record BuiltinCall(Builtin fn, List<Expr> args) implements Expr {
        public BuiltinCall {
            args = List.copyOf(args);
        }

        @Override
        public JsonNode eval(Evaluation e) {
            JsonNode[] values = evalArgs(args, e);
            return values == null ? null : fn.apply(values, e);
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
