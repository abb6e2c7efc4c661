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
    IS_ATOM(1, kernelAndErlang("is_atom")),
    IS_BINARY(1, kernelAndErlang("is_binary")),
    IS_BITSTRING(1, kernelAndErlang("is_bitstring")),
    IS_BOOLEAN(1, kernelAndErlang("is_boolean")),
    IS_FLOAT(1, kernelAndErlang("is_float")),
    IS_FUNCTION(1, kernelAndErlang("is_function")),
    IS_FUNCTION_ARITY(2, kernelAndErlang("is_function")),
    IS_INTEGER(1, kernelAndErlang("is_integer")),
    IS_LIST(1, kernelAndErlang("is_list")),
    IS_MAP(1, kernelAndErlang("is_map")),
    IS_NIL(1, kernel("is_nil")),
    IS_NUMBER(1, kernelAndErlang("is_number")),
    IS_PID(1, kernelAndErlang("is_pid")),
    IS_PORT(1, kernelAndErlang("is_port")),
    IS_REFERENCE(1, kernelAndErlang("is_reference")),
    IS_TUPLE(1, kernelAndErlang("is_tuple")),
    IS_STRUCT(1, kernel("is_struct")),
    IS_STRUCT_NAMED(2, kernel("is_struct")),
    IS_EXCEPTION(1, kernel("is_exception")),
    IS_EXCEPTION_NAMED(2, kernel("is_exception")),
    IS_MAP_KEY(2, kernel("is_map_key")),
    ERLANG_IS_MAP_KEY(2, ":erlang.is_map_key"),
    IS_EVEN(1, "Integer.is_even"),
    IS_ODD(1, "Integer.is_odd"),

    // numbers
    ABS(1, kernelAndErlang("abs")),
    DIV(2, kernelAndErlang("div")),
    REM(2, kernelAndErlang("rem")),
    ROUND(1, kernelAndErlang("round")),
    TRUNC(1, kernelAndErlang("trunc")),
    CEIL(1, kernelAndErlang("ceil")),
    FLOOR(1, kernelAndErlang("floor")),
    FLOAT(1, ":erlang.float"),
    BAND(2, bitwise("band")),
    BOR(2, bitwise("bor")),
    BXOR(2, bitwise("bxor")),
    BNOT(1, bitwise("bnot")),
    BSL(2, bitwise("bsl")),
    BSR(2, bitwise("bsr")),

    // binaries, lists, maps, tuples
    BYTE_SIZE(1, kernelAndErlang("byte_size")),
    BIT_SIZE(1, kernelAndErlang("bit_size")),
    SIZE(1, ":erlang.size"),
    BINARY_PART(3, kernelAndErlang("binary_part")),
    HD(1, kernelAndErlang("hd")),
    TL(1, kernelAndErlang("tl")),
    LENGTH(1, kernelAndErlang("length")),
    MAP_SIZE(1, kernelAndErlang("map_size")),
    MAP_GET(2, ":erlang.map_get"),
    ELEM(2, kernel("elem")),
    ELEMENT(2, ":erlang.element"),
    TUPLE_SIZE(1, kernelAndErlang("tuple_size")),

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

    /** Kernel's name, also written {@code Kernel.name} and {@code :erlang.name} (the BIF it is). */
    private static String[] kernelAndErlang(String name) {
        return new String[] {name, "Kernel." + name, ":erlang." + name};
    }

    /** A Kernel macro with no BIF of the same name. */
    private static String[] kernel(String name) {
        return new String[] {name, "Kernel." + name};
    }

    /** Bitwise's name (usable as if imported), {@code Bitwise.name} and the BIF {@code :erlang.name}. */
    private static String[] bitwise(String name) {
        return new String[] {name, "Bitwise." + name, ":erlang." + name};
    }

    /** The functions of that name, one per arity; empty if none. */
    static List<Builtin> byName(String name) {
        return BY_NAME.getOrDefault(name, List.of());
    }

    /** A function of one argument applied. */
    JsonNode apply(JsonNode x, Evaluation e) {
        return switch (this) {
            case NEGATE -> x.isNumber() ? Numbers.negate(x) : null;
            case PLUS -> x.isNumber() ? x : null;
            case NOT -> x.isBoolean() ? bool(!x.booleanValue()) : null;
            case BANG -> bool(!truthy(x));
            case IS_ATOM -> bool(x.isNull() || x.isBoolean());
            case IS_BINARY, IS_BITSTRING -> bool(Binaries.is(x));
            case IS_BOOLEAN -> bool(x.isBoolean());
            case IS_FLOAT -> bool(Numbers.isFloat(x));
            case IS_INTEGER -> bool(Numbers.isInt(x));
            case IS_LIST -> bool(x.isArray());
            case IS_MAP -> bool(x.isObject());
            case IS_NIL -> bool(x.isNull());
            case IS_NUMBER -> bool(x.isNumber());
            case IS_FUNCTION, IS_PID, IS_PORT, IS_REFERENCE, IS_TUPLE, IS_STRUCT, IS_EXCEPTION -> BooleanNode.FALSE;
            case IS_EVEN, IS_ODD -> bool(Numbers.isInt(x) && Numbers.big(x).testBit(0) == (this == IS_ODD));
            case ABS -> x.isNumber() ? Numbers.abs(x) : null;
            case ROUND -> Numbers.toInteger(x, RoundingMode.HALF_UP);
            case TRUNC -> Numbers.toInteger(x, RoundingMode.DOWN);
            case CEIL -> Numbers.toInteger(x, RoundingMode.CEILING);
            case FLOOR -> Numbers.toInteger(x, RoundingMode.FLOOR);
            case FLOAT -> Numbers.toFloat(x);
            case BNOT -> Numbers.not(x);
            case BYTE_SIZE, SIZE -> binary(x, e) ? LongNode.valueOf(Binaries.size(x)) : null;
            case BIT_SIZE -> binary(x, e) ? LongNode.valueOf(8 * Binaries.size(x)) : null;
            case HD -> x.isArray() && !x.isEmpty() ? x.get(0) : null;
            case TL -> tail(x, e);
            case LENGTH -> x.isArray() ? LongNode.valueOf(x.size()) : null;
            case MAP_SIZE -> x.isObject() ? LongNode.valueOf(x.size()) : null;
            case TUPLE_SIZE -> null;
            default -> throw new IllegalStateException(this + " takes " + arity + " arguments");
        };
    }

    /** An operator or function of two arguments applied. */
    JsonNode apply(JsonNode x, JsonNode y, Evaluation e) {
        return switch (this) {
            case ADD -> numbers(x, y, e) ? Numbers.add(x, y) : null;
            case SUBTRACT -> numbers(x, y, e) ? Numbers.subtract(x, y) : null;
            case MULTIPLY -> numbersQuadratic(x, y, e) ? Numbers.multiply(x, y, e) : null;
            case DIVIDE -> numbers(x, y, e) ? Numbers.divide(x, y) : null;
            case LT, LE, GT, GE -> order(x, y, e);
            case EQ, NEQ, STRICT_EQ, STRICT_NEQ -> {
                boolean strict = this == STRICT_EQ || this == STRICT_NEQ;
                int eq = JsonValues.equal(x, y, strict, e, 0);
                yield eq == JsonValues.ERROR ? null : bool((eq == JsonValues.EQUAL) == (this == EQ || this == STRICT_EQ));
            }
            case CONCAT -> concat(x, y, e);
            case INDEX -> index(x, y);
            case IS_FUNCTION_ARITY -> Numbers.isInt(y) && Numbers.big(y).signum() >= 0 ? BooleanNode.FALSE : null;
            case IS_STRUCT_NAMED, IS_EXCEPTION_NAMED -> !x.isObject() ? BooleanNode.FALSE
                    : (y.isNull() || y.isBoolean() ? BooleanNode.FALSE : null);
            case IS_MAP_KEY -> x.isObject() ? bool(y.isTextual() && x.has(y.textValue())) : null;
            case ERLANG_IS_MAP_KEY -> y.isObject() ? bool(x.isTextual() && y.has(x.textValue())) : null;
            case DIV -> numbersQuadratic(x, y, e) ? Numbers.intDivide(x, y) : null;
            case REM -> numbersQuadratic(x, y, e) ? Numbers.remainder(x, y) : null;
            case BAND -> numbers(x, y, e) ? Numbers.bitwise(x, y, '&') : null;
            case BOR -> numbers(x, y, e) ? Numbers.bitwise(x, y, '|') : null;
            case BXOR -> numbers(x, y, e) ? Numbers.bitwise(x, y, '^') : null;
            case BSL -> Numbers.shift(x, y, true, e);
            case BSR -> Numbers.shift(x, y, false, e);
            case MAP_GET -> y.isObject() && x.isTextual() ? y.get(x.textValue()) : null;
            case ELEM, ELEMENT -> null;
            case STARTS_WITH -> startsWith(x, y, e);
            case CONTAINS -> contains(x, y, e);
            default -> throw new IllegalStateException(this + " takes " + arity + " arguments");
        };
    }

    /** A function of three arguments (binary_part) applied. */
    JsonNode apply(JsonNode x, JsonNode y, JsonNode z, Evaluation e) {
        if (this != BINARY_PART) {
            throw new IllegalStateException(this + " takes " + arity + " arguments");
        }
        if (!Binaries.is(x) || !Numbers.isInt(y) || !Numbers.isInt(z) || !y.canConvertToInt() || !z.canConvertToInt()) {
            return null;
        }
        return e.spend((int) (1 + (Binaries.weight(x) >> 6))) ? Binaries.part(x, y.longValue(), z.longValue()) : null;
    }

    static boolean truthy(JsonNode v) {
        return !(v.isNull() || (v.isBoolean() && !v.booleanValue()));
    }

    /** A binary, whose size is paid for: counting UTF-8 bytes reads the whole text. */
    private static boolean binary(JsonNode v, Evaluation e) {
        return Binaries.is(v) && e.spend((int) Math.min(Integer.MAX_VALUE, 1 + (Binaries.weight(v) >> 6)));
    }

    private static boolean numbers(JsonNode x, JsonNode y, Evaluation e) {
        return x.isNumber() && y.isNumber() && e.spend(Numbers.cost(x, y, false));
    }

    private static boolean numbersQuadratic(JsonNode x, JsonNode y, Evaluation e) {
        return x.isNumber() && y.isNumber() && e.spend(Numbers.cost(x, y, true));
    }

    private JsonNode order(JsonNode x, JsonNode y, Evaluation e) {
        int c = JsonValues.compare(x, y, e, 0);
        if (c == JsonValues.UNORDERED) {
            return null;
        }
        return bool(switch (this) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        });
    }

    private static JsonNode concat(JsonNode x, JsonNode y, Evaluation e) {
        if (!Binaries.is(x) || !Binaries.is(y)) {
            return null;
        }
        long size = Binaries.weight(x) + Binaries.weight(y);
        return e.spend((int) Math.min(Integer.MAX_VALUE, 1 + (size >> 6))) ? Binaries.concat(x, y) : null;
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
            if (Binaries.weight(part) == 0) {
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
            if (Binaries.weight(p) == 0) {
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
        return Binaries.weight(s) == 0 ? BooleanNode.FALSE : null;
    }

    private static int searchCost(JsonNode s, JsonNode p) {
        long n = Binaries.weight(s);
        long cost = p == null ? 1 + (n >> 6) : 1 + ((n * Math.max(1, Binaries.weight(p))) >> 8);
        return (int) Math.min(cost, Integer.MAX_VALUE);
    }

    private static JsonNode bool(boolean b) {
        return BooleanNode.valueOf(b);
    }
}
