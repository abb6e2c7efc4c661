package dev.alloplace.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Every operator and every spelling of every built-in applied to every combination of a set of
 * telling operands (1 and 1.0, -0.0, the 64-bit edges, big integers, unicode strings, nil and the
 * booleans, lists, maps).
 * Elixir first evaluates each expression; then two guards per operator are matched on both sides:
 * {@code [x, y, r] when OP(x, y) === r} with Elixir's own result as r (our value must be exactly
 * Elixir's), and {@code [x, y] when is_nil(OP(x, y)) or true} (we must fail exactly where Elixir
 * raises).
 */
final class OperatorTables {

    static final List<String> OPERANDS = List.of("0", "1", "-1", "2", "3", "-7", "64", "9223372036854775807",
            "-9223372036854775808", "18446744073709551616", "9007199254740993", "1.0", "-0.0", "2.5", "-2.5", "0.1",
            "1.0e300", "\"\"", "\"a\"", "\"ab\"", "\"é\"", "\"😀\"", "\"\\uffff\"", "null", "true", "false", "[]",
            "[1]", "[1.0, \"a\"]", "[[]]", "{}", "{\"a\": 1}", "{\"a\": 1.0}", "{\"b\": 0, \"a\": [2]}");

    static final List<String> SMALL = List.of("0", "1", "-1", "2", "3", "-2", "9223372036854775807",
            "18446744073709551616", "1.0", "-0.0", "\"a\"", "null", "true", "[]");

    /** An expression over x and y (or x alone), how Elixir runs it, and our spelling when it differs. */
    record Operation(String elixir, String ours, ElixirOracle.Mode mode, int arity) {
        static Operation guard(String expr, int arity) {
            return new Operation(expr, expr, ElixirOracle.Mode.GUARD, arity);
        }

        static Operation code(String elixir, String ours, int arity) {
            return new Operation(elixir, ours, ElixirOracle.Mode.CODE, arity);
        }
    }

    static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (String op : List.of("==", "!=", "===", "!==", "<", "<=", ">", ">=", "and", "or", "+", "-", "*", "/",
                "<>", "&&&", "|||", "<<<", ">>>")) {
            ops.add(Operation.guard("x " + op + " y", 2));
        }
        for (Builtin b : Builtin.values()) {
            for (String name : b.names) {
                ops.add(named(b, name));
            }
        }
        ops.add(Operation.guard("x in [y]", 2));
        ops.add(Operation.guard("x not in [y, 1]", 2));
        ops.add(Operation.guard("x in [x, y]", 2));
        ops.add(Operation.guard("x in 0..y", 2));
        ops.add(Operation.guard("x in y..3//2", 2));
        ops.add(Operation.guard("x in -5..5//y", 2));
        ops.add(Operation.guard("not x in [y]", 2));
        ops.add(Operation.guard("[x, y]", 2));
        ops.add(Operation.guard("[x | y]", 2));
        ops.add(Operation.guard("x in [1 | [y]]", 2));
        ops.add(Operation.guard("x <> y <> x", 2));
        ops.add(Operation.guard("x |> Kernel.-(y)", 2));
        ops.add(Operation.guard("x - -y", 2));
        ops.add(Operation.guard("%{\"k\" => x, \"l\" => y}", 2));
        ops.add(Operation.code("x && y", "x && y", 2));
        ops.add(Operation.code("x || y", "x || y", 2));
        ops.add(Operation.code("String.contains?(x, [y, \"a\"])", "contains(x, [y, \"a\"])", 2));
        ops.add(Operation.code(":lists.member(x, y)", "x in y", 2));
        ops.add(Operation.code("at(x, y)", "x[y]", 2));
        for (String op : List.of("not x", "-x", "+x", "~~~x", "elem(x, 0)", "binary_part(x, 1, 1)",
                "binary_part(x, 0, -1)", "x |> is_binary()")) {
            ops.add(Operation.guard(op, 1));
        }
        ops.add(Operation.code("!x", "!x", 1));
        return ops;
    }

    /**
     * Every spelling of every built-in ({@code is_map_key}, {@code Kernel.is_map_key},
     * {@code Kernel.+}, {@code :erlang.bsl}, ...) applied to x (and y); binary_part's third argument
     * is 1. The String functions and their short names are our extensions: Elixir runs them as code.
     */
    private static Operation named(Builtin b, String name) {
        String args = switch (b.arity) {
            case 1 -> "(x)";
            case 2 -> "(x, y)";
            default -> "(x, y, 1)";
        };
        int arity = Math.min(b.arity, 2);
        if (b == Builtin.STARTS_WITH || b == Builtin.CONTAINS) {
            String elixirName = b == Builtin.STARTS_WITH ? "String.starts_with?" : "String.contains?";
            return Operation.code(elixirName + args, name + args, arity);
        }
        return Operation.guard(name + args, arity);
    }

    /** The [x] or [x, y] values every operation meets. */
    static List<String> inputs(int arity) {
        List<String> out = new ArrayList<>();
        for (String a : OPERANDS) {
            if (arity == 1) {
                out.add("[" + a + "]");
            } else {
                for (String b : OPERANDS) {
                    out.add("[" + a + ", " + b + "]");
                }
            }
        }
        return out;
    }

    /** binary_part(s, start, length) and ranges with a step, over three operands. */
    static List<DifferentialCase> threeOperandCases() {
        List<String> triples = new ArrayList<>();
        for (String a : SMALL) {
            for (String b : SMALL) {
                for (String c : SMALL) {
                    triples.add("[" + a + ", " + b + ", " + c + "]");
                }
            }
        }
        List<String> strings = new ArrayList<>();
        for (String s : List.of("\"\"", "\"abc\"", "\"é\"", "\"😀\"", "1")) {
            for (String b : SMALL) {
                for (String c : SMALL) {
                    strings.add("[" + s + ", " + b + ", " + c + "]");
                }
            }
        }
        List<DifferentialCase> out = new ArrayList<>();
        for (String guard : List.of("x in y..z", "x not in y..z", "x in y..z//2", "x in 1..y//z",
                "binary_part(x, y, z) == \"a\"", "is_binary(binary_part(x, y, z))")) {
            List<String> values = guard.startsWith("x in") || guard.startsWith("x not") ? triples : strings;
            out.add(new DifferentialCase("table " + guard, "[x, y, z] when " + guard, ElixirOracle.Mode.GUARD,
                    "[x, y, z]", guard, values));
        }
        return out;
    }
}
