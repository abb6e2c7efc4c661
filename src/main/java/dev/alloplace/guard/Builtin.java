package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guard built-ins, Elixir's names first. A wrong argument type is a guard error
 * ({@code null}), which makes the whole guard false.
 */
enum Builtin {
    IS_BINARY(1, "is_binary"),
    IS_NUMBER(1, "is_number"),
    IS_INTEGER(1, "is_integer"),
    IS_FLOAT(1, "is_float"),
    IS_BOOLEAN(1, "is_boolean"),
    IS_LIST(1, "is_list"),
    IS_MAP(1, "is_map"),
    IS_NIL(1, "is_nil"),
    IS_MAP_KEY(2, "is_map_key"),
    LENGTH(1, "length"),
    MAP_SIZE(1, "map_size"),
    STARTS_WITH(2, "String.starts_with?", "starts_with"),
    CONTAINS(2, "String.contains?", "contains");

    private static final Map<String, Builtin> BY_NAME = new HashMap<>();

    static {
        for (Builtin b : values()) {
            for (String n : b.names) {
                BY_NAME.put(n, b);
            }
        }
    }

    final int arity;
    final List<String> names;

    Builtin(int arity, String... names) {
        this.arity = arity;
        this.names = List.of(names);
    }

    static Builtin byName(String name) {
        return BY_NAME.get(name);
    }

    JsonNode apply(JsonNode[] a, Evaluation e) {
        return switch (this) {
            case IS_BINARY -> bool(a[0].isTextual());
            case IS_NUMBER -> bool(a[0].isNumber());
            case IS_INTEGER -> bool(a[0].isIntegralNumber());
            case IS_FLOAT -> bool(a[0].isNumber() && !a[0].isIntegralNumber());
            case IS_BOOLEAN -> bool(a[0].isBoolean());
            case IS_LIST -> bool(a[0].isArray());
            case IS_MAP -> bool(a[0].isObject());
            case IS_NIL -> bool(a[0].isNull());
            case IS_MAP_KEY -> a[0].isObject() && a[1].isTextual() ? bool(a[0].has(a[1].textValue())) : null;
            case LENGTH -> a[0].isArray() ? IntNode.valueOf(a[0].size()) : null;
            case MAP_SIZE -> a[0].isObject() ? IntNode.valueOf(a[0].size()) : null;
            case STARTS_WITH -> text(a, e, true);
            case CONTAINS -> text(a, e, false);
        };
    }

    /** Elixir accepts one pattern or a list of patterns; true if any of them is found. */
    private static JsonNode text(JsonNode[] a, Evaluation e, boolean prefix) {
        if (!a[0].isTextual()) {
            return null;
        }
        String s = a[0].textValue();
        if (a[1].isTextual()) {
            return find(s, a[1].textValue(), e, prefix);
        }
        if (!a[1].isArray() || a[1].isEmpty()) {
            return null;
        }
        for (JsonNode p : a[1]) {
            if (!p.isTextual()) {
                return null;
            }
            JsonNode r = find(s, p.textValue(), e, prefix);
            if (r == null || r.booleanValue()) {
                return r;
            }
        }
        return BooleanNode.FALSE;
    }

    private static JsonNode find(String s, String p, Evaluation e, boolean prefix) {
        long cost = prefix ? 1 + (p.length() >> 6) : 1 + ((long) s.length() * Math.max(1, p.length()) >> 8);
        if (!e.spend((int) Math.min(cost, Integer.MAX_VALUE))) {
            return null;
        }
        if (!prefix && p.isEmpty()) {
            return BooleanNode.FALSE;
        }
        return bool(prefix ? s.startsWith(p) : s.contains(p));
    }

    private static JsonNode bool(boolean b) {
        return BooleanNode.valueOf(b);
    }
}
