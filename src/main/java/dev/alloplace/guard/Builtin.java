package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators and functions a guard may apply, with the meaning Elixir 1.14 gives them in a
 * guard: Kernel's guard functions (also as {@code Kernel.name}), Bitwise's (as if imported),
 * {@code Integer.is_even/is_odd}, the Erlang BIFs behind them ({@code :erlang.name}), and our
 * extensions: {@code String.starts_with?/contains?} with Elixir's meaning outside guards, their
 * short names, and {@code X[key]}. Arguments are evaluated before; a wrong argument is a guard
 * error ({@code null}), which makes the guard false.
 */
enum Builtin {
    // operators
    ADD(2, "Kernel.+"), SUBTRACT(2, "Kernel.-"), MULTIPLY(2, "Kernel.*"), DIVIDE(2, "Kernel./"),
    NEGATE(1, "Kernel.-"), PLUS(1, "Kernel.+"),
    EQ(2, "Kernel.=="), NEQ(2, "Kernel.!="), STRICT_EQ(2, "Kernel.==="), STRICT_NEQ(2, "Kernel.!=="),
    LT(2, "Kernel.<"), LE(2, "Kernel.<="), GT(2, "Kernel.>"), GE(2, "Kernel.>="),
    CONCAT(2), NOT(1, "Kernel.not"), BANG(1), INDEX(2),

    // type checks
    IS_ATOM(1, "is_atom", "Kernel.is_atom", ":erlang.is_atom"),
    IS_BINARY(1, "is_binary", "Kernel.is_binary", ":erlang.is_binary"),
    IS_BITSTRING(1, "is_bitstring", "Kernel.is_bitstring", ":erlang.is_bitstring"),
    IS_BOOLEAN(1, "is_boolean", "Kernel.is_boolean", ":erlang.is_boolean"),
    IS_FLOAT(1, "is_float", "Kernel.is_float", ":erlang.is_float"),
    IS_FUNCTION(1, "is_function", "Kernel.is_function", ":erlang.is_function"),
    IS_FUNCTION_ARITY(2, "is_function", "Kernel.is_function", ":erlang.is_function"),
    IS_INTEGER(1, "is_integer", "Kernel.is_integer", ":erlang.is_integer"),
    IS_LIST(1, "is_list", "Kernel.is_list", ":erlang.is_list"),
    IS_MAP(1, "is_map", "Kernel.is_map", ":erlang.is_map"),
    IS_NIL(1, "is_nil", "Kernel.is_nil"),
    IS_NUMBER(1, "is_number", "Kernel.is_number", ":erlang.is_number"),
    IS_PID(1, "is_pid", "Kernel.is_pid", ":erlang.is_pid"),
    IS_PORT(1, "is_port", "Kernel.is_port", ":erlang.is_port"),
    IS_REFERENCE(1, "is_reference", "Kernel.is_reference", ":erlang.is_reference"),
    IS_TUPLE(1, "is_tuple", "Kernel.is_tuple", ":erlang.is_tuple"),
    IS_STRUCT(1, "is_struct", "Kernel.is_struct"),
    IS_STRUCT_NAMED(2, "is_struct", "Kernel.is_struct"),
    IS_EXCEPTION(1, "is_exception", "Kernel.is_exception"),
    IS_EXCEPTION_NAMED(2, "is_exception", "Kernel.is_exception"),
    IS_MAP_KEY(2, "is_map_key", "Kernel.is_map_key"),
    ERLANG_IS_MAP_KEY(2, ":erlang.is_map_key"),
    IS_EVEN(1, "Integer.is_even"),
    IS_ODD(1, "Integer.is_odd"),

    // numbers
    ABS(1, "abs", "Kernel.abs", ":erlang.abs"),
    DIV(2, "div", "Kernel.div", ":erlang.div"),
    REM(2, "rem", "Kernel.rem", ":erlang.rem"),
    ROUND(1, "round", "Kernel.round", ":erlang.round"),
    TRUNC(1, "trunc", "Kernel.trunc", ":erlang.trunc"),
    CEIL(1, "ceil", "Kernel.ceil", ":erlang.ceil"),
    FLOOR(1, "floor", "Kernel.floor", ":erlang.floor"),
    FLOAT(1, ":erlang.float"),
    BAND(2, "band", "Bitwise.band", ":erlang.band"),
    BOR(2, "bor", "Bitwise.bor", ":erlang.bor"),
    BXOR(2, "bxor", "Bitwise.bxor", ":erlang.bxor"),
    BNOT(1, "bnot", "Bitwise.bnot", ":erlang.bnot"),
    BSL(2, "bsl", "Bitwise.bsl", ":erlang.bsl"),
    BSR(2, "bsr", "Bitwise.bsr", ":erlang.bsr"),

    // binaries, lists, maps, tuples
    BYTE_SIZE(1, "byte_size", "Kernel.byte_size", ":erlang.byte_size"),
    BIT_SIZE(1, "bit_size", "Kernel.bit_size", ":erlang.bit_size"),
    SIZE(1, ":erlang.size"),
    BINARY_PART(3, "binary_part", "Kernel.binary_part", ":erlang.binary_part"),
    HD(1, "hd", "Kernel.hd", ":erlang.hd"),
    TL(1, "tl", "Kernel.tl", ":erlang.tl"),
    LENGTH(1, "length", "Kernel.length", ":erlang.length"),
    MAP_SIZE(1, "map_size", "Kernel.map_size", ":erlang.map_size"),
    MAP_GET(2, ":erlang.map_get"),
    ELEM(2, "elem", "Kernel.elem"),
    ELEMENT(2, ":erlang.element"),
    TUPLE_SIZE(1, "tuple_size", "Kernel.tuple_size", ":erlang.tuple_size"),

    // extensions: Elixir's String functions, which Elixir only allows outside guards
    STARTS_WITH(2, "String.starts_with?", "starts_with"),
    CONTAINS(2, "String.contains?", "contains");

    private static final Map<String, List<Builtin>> BY_NAME = new HashMap<>();

    static {
        for (Builtin b : values()) {
            for (String n : b.names) {
                BY_NAME.computeIfAbsent(n, k -> new ArrayList<>()).add(b);
            }
        }
    }

    final int arity;
    final List<String> names;

    Builtin(int arity, String... names) {
        this.arity = arity;
        this.names = List.of(names);
    }

    /** The functions of that name, one per arity; empty if none. */
    static List<Builtin> byName(String name) {
        return BY_NAME.getOrDefault(name, List.of());
    }

    JsonNode apply(JsonNode[] a, Evaluation e) {
        return switch (this) {
            case ADD -> numbers(a, e) ? Numbers.add(a[0], a[1]) : null;
            case SUBTRACT -> numbers(a, e) ? Numbers.subtract(a[0], a[1]) : null;
            case MULTIPLY -> numbersQuadratic(a, e) ? Numbers.multiply(a[0], a[1], e) : null;
            case DIVIDE -> numbers(a, e) ? Numbers.divide(a[0], a[1]) : null;
            case NEGATE -> a[0].isNumber() ? Numbers.negate(a[0]) : null;
            case PLUS -> a[0].isNumber() ? a[0] : null;
            case EQ, NEQ, LT, LE, GT, GE -> order(a, e);
            case STRICT_EQ, STRICT_NEQ -> {
                int eq = JsonValues.equal(a[0], a[1], e, 0);
                yield eq == JsonValues.ERROR ? null : bool((eq == JsonValues.EQUAL) == (this == STRICT_EQ));
            }
            case CONCAT -> concat(a, e);
            case NOT -> a[0].isBoolean() ? bool(!a[0].booleanValue()) : null;
            case BANG -> bool(!truthy(a[0]));
            case INDEX -> index(a[0], a[1]);
            case IS_ATOM -> bool(a[0].isNull() || a[0].isBoolean());
            case IS_BINARY, IS_BITSTRING -> bool(Binaries.is(a[0]));
            case IS_BOOLEAN -> bool(a[0].isBoolean());
            case IS_FLOAT -> bool(Numbers.isFloat(a[0]));
            case IS_INTEGER -> bool(Numbers.isInt(a[0]));
            case IS_LIST -> bool(a[0].isArray());
            case IS_MAP -> bool(a[0].isObject());
            case IS_NIL -> bool(a[0].isNull());
            case IS_NUMBER -> bool(a[0].isNumber());
            case IS_FUNCTION, IS_PID, IS_PORT, IS_REFERENCE, IS_TUPLE, IS_STRUCT, IS_EXCEPTION -> BooleanNode.FALSE;
            case IS_FUNCTION_ARITY -> Numbers.isInt(a[1]) && Numbers.big(a[1]).signum() >= 0 ? BooleanNode.FALSE : null;
            case IS_STRUCT_NAMED, IS_EXCEPTION_NAMED -> !a[0].isObject() ? BooleanNode.FALSE
                    : (a[1].isNull() || a[1].isBoolean() ? BooleanNode.FALSE : null);
            case IS_MAP_KEY -> a[0].isObject() ? bool(a[1].isTextual() && a[0].has(a[1].textValue())) : null;
            case ERLANG_IS_MAP_KEY -> a[1].isObject() ? bool(a[0].isTextual() && a[1].has(a[0].textValue())) : null;
            case IS_EVEN, IS_ODD -> bool(Numbers.isInt(a[0]) && Numbers.big(a[0]).testBit(0) == (this == IS_ODD));
            case ABS -> a[0].isNumber() ? Numbers.abs(a[0]) : null;
            case DIV -> numbersQuadratic(a, e) ? Numbers.intDivide(a[0], a[1]) : null;
            case REM -> numbersQuadratic(a, e) ? Numbers.remainder(a[0], a[1]) : null;
            case ROUND -> Numbers.toInteger(a[0], RoundingMode.HALF_UP);
            case TRUNC -> Numbers.toInteger(a[0], RoundingMode.DOWN);
            case CEIL -> Numbers.toInteger(a[0], RoundingMode.CEILING);
            case FLOOR -> Numbers.toInteger(a[0], RoundingMode.FLOOR);
            case FLOAT -> Numbers.toFloat(a[0]);
            case BAND -> numbers(a, e) ? Numbers.bitwise(a[0], a[1], '&') : null;
            case BOR -> numbers(a, e) ? Numbers.bitwise(a[0], a[1], '|') : null;
            case BXOR -> numbers(a, e) ? Numbers.bitwise(a[0], a[1], '^') : null;
            case BNOT -> Numbers.not(a[0]);
            case BSL -> Numbers.shift(a[0], a[1], true, e);
            case BSR -> Numbers.shift(a[0], a[1], false, e);
            case BYTE_SIZE, SIZE -> Binaries.is(a[0]) ? LongNode.valueOf(Binaries.size(a[0])) : null;
            case BIT_SIZE -> Binaries.is(a[0]) ? LongNode.valueOf(8 * Binaries.size(a[0])) : null;
            case BINARY_PART -> binaryPart(a, e);
            case HD -> a[0].isArray() && !a[0].isEmpty() ? a[0].get(0) : null;
            case TL -> tail(a[0], e);
            case LENGTH -> a[0].isArray() ? LongNode.valueOf(a[0].size()) : null;
            case MAP_SIZE -> a[0].isObject() ? LongNode.valueOf(a[0].size()) : null;
            case MAP_GET -> a[1].isObject() && a[0].isTextual() ? a[1].get(a[0].textValue()) : null;
            case ELEM, ELEMENT, TUPLE_SIZE -> null;
            case STARTS_WITH -> startsWith(a[0], a[1], e);
            case CONTAINS -> contains(a[0], a[1], e);
        };
    }

    static boolean truthy(JsonNode v) {
        return !(v.isNull() || (v.isBoolean() && !v.booleanValue()));
    }

    private static boolean numbers(JsonNode[] a, Evaluation e) {
        return a[0].isNumber() && a[1].isNumber() && e.spend(Numbers.cost(a[0], a[1], false));
    }

    private static boolean numbersQuadratic(JsonNode[] a, Evaluation e) {
        return a[0].isNumber() && a[1].isNumber() && e.spend(Numbers.cost(a[0], a[1], true));
    }

    private JsonNode order(JsonNode[] a, Evaluation e) {
        int c = JsonValues.compare(a[0], a[1], e, 0);
        if (c == JsonValues.UNORDERED) {
            return null;
        }
        return bool(switch (this) {
            case EQ -> c == 0;
            case NEQ -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        });
    }

    private static JsonNode concat(JsonNode[] a, Evaluation e) {
        if (!Binaries.is(a[0]) || !Binaries.is(a[1])) {
            return null;
        }
        long size = Binaries.size(a[0]) + Binaries.size(a[1]);
        return e.spend((int) Math.min(Integer.MAX_VALUE, 1 + (size >> 6))) ? Binaries.concat(a[0], a[1]) : null;
    }

    /** Extension {@code X[key]}: a map's value for a string key, a list's element from 0; else an error. */
    private static JsonNode index(JsonNode target, JsonNode key) {
        if (target.isObject() && key.isTextual()) {
            return target.get(key.textValue());
        }
        if (target.isArray() && key.isIntegralNumber() && key.canConvertToInt()) {
            int i = key.intValue();
            return i >= 0 && i < target.size() ? target.get(i) : null;
        }
        return null;
    }

    private static JsonNode binaryPart(JsonNode[] a, Evaluation e) {
        if (!Binaries.is(a[0]) || !Numbers.isInt(a[1]) || !Numbers.isInt(a[2])
                || !a[1].canConvertToInt() || !a[2].canConvertToInt()) {
            return null;
        }
        return e.spend((int) (1 + (Binaries.size(a[0]) >> 6))) ? Binaries.part(a[0], a[1].longValue(), a[2].longValue())
                : null;
    }

    private static JsonNode tail(JsonNode list, Evaluation e) {
        if (!list.isArray() || list.isEmpty() || !e.spend(1 + (list.size() >> 4))) {
            return null;
        }
        var out = JsonNodeFactory.instance.arrayNode(list.size() - 1);
        for (int i = 1; i < list.size(); i++) {
            out.add(list.get(i));
        }
        return out;
    }

    /**
     * Elixir 1.14's String.starts_with?/2: a prefix, or a list tried in order (a non-binary there
     * raises); any other prefix raises, except against the empty string.
     */
    private static JsonNode startsWith(JsonNode s, JsonNode prefix, Evaluation e) {
        if (!Binaries.is(s)) {
            return null;
        }
        if (Binaries.is(prefix)) {
            return e.spend(searchCost(prefix, null)) ? bool(Binaries.startsWith(s, prefix)) : null;
        }
        if (!prefix.isArray()) {
            return emptyOtherwiseError(s);
        }
        for (JsonNode p : prefix) {
            if (!Binaries.is(p) || !e.spend(searchCost(p, null))) {
                return null;
            }
            if (Binaries.startsWith(s, p)) {
                return BooleanNode.TRUE;
            }
        }
        return BooleanNode.FALSE;
    }

    /**
     * Elixir 1.14's String.contains?/2: "" is contained in every string; a list is true at once if
     * an empty string comes before any non-binary, and otherwise must hold only non-empty binaries.
     */
    private static JsonNode contains(JsonNode s, JsonNode part, Evaluation e) {
        if (!Binaries.is(s)) {
            return null;
        }
        if (Binaries.is(part)) {
            if (Binaries.size(part) == 0) {
                return BooleanNode.TRUE;
            }
            return e.spend(searchCost(s, part)) ? bool(Binaries.contains(s, part)) : null;
        }
        if (!part.isArray()) {
            return emptyOtherwiseError(s);
        }
        if (part.isEmpty()) {
            return BooleanNode.FALSE;
        }
        for (JsonNode p : part) {
            if (!Binaries.is(p)) {
                break;
            }
            if (Binaries.size(p) == 0) {
                return BooleanNode.TRUE;
            }
        }
        for (JsonNode p : part) {
            if (!Binaries.is(p)) {
                return null;
            }
        }
        for (JsonNode p : part) {
            if (!e.spend(searchCost(s, p))) {
                return null;
            }
            if (Binaries.contains(s, p)) {
                return BooleanNode.TRUE;
            }
        }
        return BooleanNode.FALSE;
    }

    /** Erlang's :binary.match finds nothing in an empty subject before it looks at the pattern. */
    private static JsonNode emptyOtherwiseError(JsonNode s) {
        return Binaries.size(s) == 0 ? BooleanNode.FALSE : null;
    }

    private static int searchCost(JsonNode s, JsonNode p) {
        long n = Binaries.size(s);
        long cost = p == null ? 1 + (n >> 6) : 1 + ((n * Math.max(1, Binaries.size(p))) >> 8);
        return (int) Math.min(cost, Integer.MAX_VALUE);
    }

    private static JsonNode bool(boolean b) {
        return BooleanNode.valueOf(b);
    }
}
