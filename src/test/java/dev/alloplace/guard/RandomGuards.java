package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Random patterns with guards, each written twice: in our language (randomly using its
 * extensions: capitalised variables, {@code where}, JSON-style maps, {@code null}, {@code X["k"]})
 * and in Elixir's syntax. A pattern is cut out of a protocol-shaped value (holes become variables,
 * {@code _}, {@code _name}, list tails, string prefixes), then met by that value and near misses.
 * One in six uses the extensions Elixir allows only outside guards ({@code &&}, {@code ||},
 * {@code !}, String functions, {@code in} a variable) and is answered by Elixir as ordinary code.
 */
final class RandomGuards {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-zA-Z0-9_]*");
    private static final Set<String> RESERVED = Set.of("when", "where", "and", "or", "not", "in", "true", "false",
            "nil", "null", "do", "end", "fn", "catch", "rescue", "after", "else");

    // Elixir's binding strength, loosest first.
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int EQUALITY = 3;
    private static final int RELATION = 4;
    private static final int SHIFT = 5;
    private static final int IN = 6;
    private static final int CONCAT = 7;
    private static final int ADD = 8;
    private static final int MUL = 9;
    private static final int UNARY = 10;
    private static final int ATOM = 11;

    /** Expression text on both sides, with how tightly its outermost operator binds. */
    private record Text(String ours, String elixir, int prec) {
        static Text both(String s, int prec) {
            return new Text(s, s, prec);
        }
    }

    /** A variable of the pattern and the part of the base value it binds. */
    private record Var(String ours, String elixir, JsonNode base) {
    }

    private final Random r;
    private final ProtocolShapes shapes;
    private List<Var> vars;
    private int nextVar;
    private boolean code;

    RandomGuards(Random r) {
        this.r = r;
        this.shapes = new ProtocolShapes(r);
    }

    List<DifferentialCase> generate(int patterns, int valuesPerPattern) {
        List<DifferentialCase> out = new ArrayList<>();
        for (int i = 0; i < patterns; i++) {
            out.add(one("random #" + i, valuesPerPattern));
        }
        return out;
    }

    private DifferentialCase one(String origin, int valuesPerPattern) {
        vars = new ArrayList<>();
        nextVar = 0;
        code = r.nextInt(6) == 0;
        JsonNode base = shapes.value();
        Text pattern = pattern(base, 0);
        Text guard = null;
        if (!vars.isEmpty() && r.nextInt(8) != 0) {
            guard = bool(1 + r.nextInt(3));
        } else if (r.nextInt(3) == 0) {
            guard = bool(0);
        }
        String word = code || r.nextBoolean() ? "where" : "when";
        String ours = guard == null ? pattern.ours() : pattern.ours() + " " + word + " " + guard.ours();
        if (guard != null && !code && r.nextInt(10) == 0) {
            Text alternative = bool(1 + r.nextInt(2));
            ours += " when " + alternative.ours();
            guard = new Text(guard.ours(), guard.elixir() + " when " + alternative.elixir(), 0);
        }
        List<String> values = new ArrayList<>();
        values.add(json(base));
        for (int i = 1; i < valuesPerPattern; i++) {
            values.add(json(i % 4 == 3 ? shapes.value() : shapes.mutate(base)));
        }
        ElixirOracle.Mode mode = code ? ElixirOracle.Mode.CODE : ElixirOracle.Mode.GUARD;
        return new DifferentialCase(origin, ours, guard == null ? ElixirOracle.Mode.GUARD : mode, pattern.elixir(),
                guard == null ? null : guard.elixir(), values);
    }

    private static String json(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- patterns

    private Text pattern(JsonNode v, int depth) {
        int roll = r.nextInt(100);
        if (depth > 0 && roll < 24) {
            return hole(v, depth);
        }
        if (v.isArray()) {
            return listPattern(v, depth);
        }
        if (v.isObject()) {
            return mapPattern(v, depth);
        }
        if (v.isTextual() && roll < 40) {
            return prefixPattern(v.textValue());
        }
        if (v.isNumber() && roll < 30) {
            JsonNode flipped = v.isIntegralNumber()
                    ? JsonNodeFactory.instance.numberNode(v.doubleValue())
                    : (v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 1e15
                            ? JsonNodeFactory.instance.numberNode((long) v.doubleValue()) : v);
            return literal(flipped);
        }
        return literal(v);
    }

    private Text literal(JsonNode v) {
        String elixir = ElixirText.literal(v);
        String ours = v.isNull() && r.nextBoolean() ? "null" : elixir;
        return new Text(ours, elixir, ATOM);
    }

    private Text hole(JsonNode v, int depth) {
        int roll = r.nextInt(100);
        if (roll < 35) {
            return bind(v);
        }
        if (roll < 55) {
            return Text.both("_", ATOM);
        }
        if (roll < 68) {
            String name = "_u" + r.nextInt(3);
            return Text.both(name, ATOM);
        }
        if (roll < 88 && !vars.isEmpty()) {
            Var reuse = null;
            for (Var existing : vars) {
                if (existing.base().equals(v) && r.nextInt(3) != 0) {
                    reuse = existing;
                }
            }
            if (reuse == null) {
                reuse = vars.get(r.nextInt(vars.size()));
            }
            return new Text(reuse.ours(), reuse.elixir(), ATOM);
        }
        Text inner = pattern(v, depth + 1);
        Text alias = bind(v);
        return r.nextBoolean()
                ? new Text(inner.ours() + " = " + alias.ours(), inner.elixir() + " = " + alias.elixir(), 0)
                : new Text(alias.ours() + " = " + inner.ours(), alias.elixir() + " = " + inner.elixir(), 0);
    }

    private Text bind(JsonNode v) {
        int n = nextVar++;
        String elixir = "v" + n;
        String ours = code || r.nextBoolean() ? "V" + n : elixir;
        Var var = new Var(ours, elixir, v);
        vars.add(var);
        return new Text(ours, elixir, ATOM);
    }

    private Text listPattern(JsonNode v, int depth) {
        List<Text> items = new ArrayList<>();
        int heads = v.size();
        Text tail = null;
        if (v.size() > 0 && r.nextInt(3) == 0) {
            heads = 1 + r.nextInt(v.size());
            ArrayNode rest = JsonNodeFactory.instance.arrayNode();
            for (int i = heads; i < v.size(); i++) {
                rest.add(v.get(i));
            }
            tail = r.nextBoolean() ? hole(rest, depth + 1) : pattern(rest, depth + 1);
        }
        for (int i = 0; i < heads; i++) {
            items.add(pattern(v.get(i), depth + 1));
        }
        return list(items, tail);
    }

    private Text mapPattern(JsonNode v, int depth) {
        List<String> keys = new ArrayList<>();
        List<Text> values = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (r.nextInt(5) < 3) {
                keys.add(e.getKey());
                values.add(pattern(e.getValue(), depth + 1));
            }
        }
        if (r.nextInt(10) == 0) {
            String missing = shapes.pick(new String[] {"missing", "id", "transform", "é"});
            if (!v.has(missing)) {
                keys.add(missing);
                values.add(literal(shapes.anyValue(3)));
            }
        }
        boolean identifiers = keys.stream().allMatch(k -> IDENTIFIER.matcher(k).matches() && !RESERVED.contains(k));
        int style = r.nextInt(identifiers ? 3 : 2);
        StringBuilder ours = new StringBuilder(style == 1 ? "{" : "%{");
        StringBuilder elixir = new StringBuilder("%{");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                ours.append(", ");
                elixir.append(", ");
            }
            String key = ElixirText.string(keys.get(i));
            elixir.append(key).append(" => ").append(values.get(i).elixir());
            switch (style) {
                case 1 -> ours.append(key).append(": ");
                case 2 -> ours.append(keys.get(i)).append(": ");
                default -> ours.append(key).append(" => ");
            }
            ours.append(values.get(i).ours());
        }
        return new Text(ours.append('}').toString(), elixir.append('}').toString(), ATOM);
    }

    private Text prefixPattern(String s) {
        int codePoints = s.codePointCount(0, s.length());
        int cut = s.offsetByCodePoints(0, r.nextInt(codePoints + 1));
        String prefix = r.nextInt(6) == 0 ? shapes.pick(new String[] {"a", "é", "x", ""}) : s.substring(0, cut);
        String rest = s.substring(Math.min(cut, s.length()));
        Text tail = switch (r.nextInt(4)) {
            case 0 -> Text.both("_", ATOM);
            case 1 -> literal(ProtocolShapes.text(rest));
            default -> bind(ProtocolShapes.text(rest));
        };
        String lit = ElixirText.string(prefix);
        return new Text(lit + " <> " + tail.ours(), lit + " <> " + tail.elixir(), CONCAT);
    }

    // ---- guards

    private Text bool(int depth) {
        if (depth <= 0) {
            return boolLeaf();
        }
        int roll = r.nextInt(code ? 120 : 100);
        if (roll < 18) {
            boolean and = r.nextBoolean();
            return binary(bool(depth - 1), and ? "and" : "or", bool(depth - 1), and ? AND : OR);
        }
        if (roll < 26) {
            return unary("not", bool(depth - 1));
        }
        if (roll < 60) {
            return comparison(term(depth - 1), term(depth - 1));
        }
        if (roll < 70) {
            return membership(depth);
        }
        if (roll < 80) {
            return typeCheck(term(depth - 1));
        }
        if (roll < 86) {
            return call("is_map_key", term(depth - 1), literalOf(pickBase()));
        }
        if (roll < 90) {
            return call(r.nextBoolean() ? "Integer.is_even" : "Integer.is_odd", term(depth - 1));
        }
        if (roll < 100) {
            return boolLeaf();
        }
        return codeOnly(depth);
    }

    /** &&, ||, !, String functions and `in` a variable: Elixir runs these as code. */
    private Text codeOnly(int depth) {
        return switch (r.nextInt(6)) {
            case 0 -> binary(bool(depth - 1), "&&", term(depth - 1), AND);
            case 1 -> binary(term(depth - 1), "||", bool(depth - 1), OR);
            case 2 -> unary("!", term(depth - 1));
            case 3, 4 -> {
                boolean prefix = r.nextBoolean();
                String name = prefix ? "String.starts_with?" : "String.contains?";
                String alias = prefix ? "starts_with" : "contains";
                Text s = term(depth - 1);
                Text p = r.nextInt(3) == 0 ? listOf(depth) : stringTerm(depth - 1);
                Text real = call(name, s, p);
                yield r.nextBoolean() ? real : new Text(alias + real.ours().substring(name.length()), real.elixir(),
                        ATOM);
            }
            default -> {
                Var element = pickVar();
                Var list = pickVar();
                boolean negated = r.nextBoolean();
                if (element == null || list == null) {
                    yield boolLeaf();
                }
                String member = ":lists.member(" + element.elixir() + ", " + list.elixir() + ")";
                yield new Text(element.ours() + (negated ? " not in " : " in ") + list.ours(),
                        negated ? "not " + member : member, IN);
            }
        };
    }

    private Text boolLeaf() {
        return switch (r.nextInt(6)) {
            case 0 -> Text.both(r.nextBoolean() ? "true" : "false", ATOM);
            case 1 -> typeCheck(term(0));
            case 2 -> varText();
            default -> comparison(term(0), r.nextBoolean() ? term(0) : literalOf(pickBase()));
        };
    }

    private Text comparison(Text a, Text b) {
        String[] ops = {"==", "!=", "===", "!==", "<", "<=", ">", ">="};
        String op = ops[r.nextInt(ops.length)];
        return binary(a, op, b, op.startsWith("<") || op.startsWith(">") ? RELATION : EQUALITY);
    }

    private Text membership(int depth) {
        Text element = term(depth - 1);
        boolean negated = r.nextBoolean();
        String op = negated ? "not in" : "in";
        if (!code && r.nextInt(3) == 0) {
            Text from = rangeBound(depth);
            Text to = rangeBound(depth);
            String range = from.ours() + ".." + to.ours();
            String erange = from.elixir() + ".." + to.elixir();
            if (r.nextInt(3) == 0) {
                Text step = rangeBound(depth);
                range += "//" + step.ours();
                erange += "//" + step.elixir();
            }
            Text left = wrap(element, IN);
            return new Text(left.ours() + " " + op + " " + range, left.elixir() + " " + op + " " + erange, IN);
        }
        Text list = code ? literalList() : (r.nextInt(8) == 0 ? Text.both("[]", ATOM) : listOf(depth));
        Text left = wrap(code ? (r.nextBoolean() ? varText() : literalOf(pickBase())) : element, IN);
        return new Text(left.ours() + " " + op + " " + list.ours(), left.elixir() + " " + op + " " + list.elixir(), IN);
    }

    private Text rangeBound(int depth) {
        if (r.nextInt(3) == 0) {
            Var v = pickVar();
            if (v != null) {
                return new Text(v.ours(), v.elixir(), ATOM);
            }
        }
        long n = r.nextInt(4) == 0 ? r.nextInt(2001) - 1000 : r.nextInt(9) - 4;
        String s = Long.toString(n);
        return Text.both(s, n < 0 ? UNARY : ATOM);
    }

    private Text typeCheck(Text t) {
        String[] checks = {"is_binary", "is_number", "is_integer", "is_float", "is_boolean", "is_list", "is_map",
            "is_nil", "is_atom", "is_bitstring", "is_tuple"};
        String check = checks[r.nextInt(checks.length)];
        int spelling = r.nextInt(6);
        if (spelling == 0) {
            check = "Kernel." + check;
        } else if (spelling == 1 && !check.equals("is_nil")) {
            check = ":erlang." + check;
        }
        return call(check, t);
    }

    private Text term(int depth) {
        if (depth <= 0 || r.nextInt(3) == 0) {
            return r.nextInt(4) == 0 ? literalOf(pickBase()) : varText();
        }
        Var v = pickVar();
        JsonNode base = v == null ? shapes.anyValue(2) : v.base();
        if (r.nextInt(6) == 0) {
            base = shapes.anyValue(2);
        }
        if (base.isNumber()) {
            return numberTerm(depth);
        }
        if (base.isTextual()) {
            return stringTerm(depth);
        }
        if (base.isArray()) {
            return listTerm(depth);
        }
        if (base.isObject()) {
            return mapTerm(depth);
        }
        return r.nextBoolean() ? varText() : bool(depth - 1);
    }

    private Text numberTerm(int depth) {
        Text a = depth > 1 && r.nextBoolean() ? numberTerm(depth - 1) : varOrNumber();
        Text b = depth > 1 && r.nextBoolean() ? numberTerm(depth - 1) : varOrNumber();
        return switch (r.nextInt(19)) {
            case 0 -> binary(a, "+", b, ADD);
            case 1 -> binary(a, "-", b, ADD);
            case 2 -> binary(a, "*", b, MUL);
            case 3 -> binary(a, "/", b, MUL);
            case 4 -> call("div", a, b);
            case 5 -> call("rem", a, b);
            case 6 -> call("abs", a);
            case 7 -> unary("-", a);
            case 8 -> call(new String[] {"round", "trunc", "ceil", "floor"}[r.nextInt(4)], a);
            case 9 -> call(new String[] {"band", "bor", "bxor"}[r.nextInt(3)], a, b);
            case 10 -> call(r.nextBoolean() ? "bsl" : "bsr", a, Text.both(Integer.toString(r.nextInt(70)), ATOM));
            case 11 -> call("bnot", a);
            case 12 -> call(":erlang.float", a);
            case 13 -> call("length", listTerm(depth - 1));
            case 14 -> call("byte_size", stringTerm(depth - 1));
            case 15 -> call("map_size", mapTerm(depth - 1));
            case 16 -> unary("+", a);
            case 17 -> r.nextBoolean() ? call("Kernel." + (r.nextBoolean() ? "+" : "-"), a, b)
                    : join(wrap(a, SHIFT), "|>", r.nextBoolean() ? call("abs") : call("Kernel.*", b), SHIFT);
            default -> a;
        };
    }

    private Text varOrNumber() {
        Var v = pickVar();
        if (v != null && (v.base().isNumber() || r.nextInt(4) == 0)) {
            return new Text(v.ours(), v.elixir(), ATOM);
        }
        return literalOf(shapes.number());
    }

    private Text stringTerm(int depth) {
        Var v = pickVar();
        Text s = v != null && (v.base().isTextual() || r.nextInt(4) == 0) ? new Text(v.ours(), v.elixir(), ATOM)
                : literalOf(ProtocolShapes.text(shapes.pick(new String[] {"", "a", "é", "ab", "harry", "😀"})));
        if (depth <= 0) {
            return s;
        }
        return switch (r.nextInt(4)) {
            case 0 -> concat(s, stringTerm(depth - 1));
            case 1 -> call("binary_part", s, Text.both(Integer.toString(r.nextInt(3)), ATOM),
                    Text.both(Integer.toString(r.nextInt(4) - 1), ATOM));
            default -> s;
        };
    }

    private Text listTerm(int depth) {
        Var v = pickVar();
        Text l = v != null && (v.base().isArray() || r.nextInt(4) == 0) ? new Text(v.ours(), v.elixir(), ATOM)
                : literalOf(shapes.anyValue(3).isArray() ? shapes.anyValue(3) : JsonNodeFactory.instance.arrayNode());
        if (depth <= 0) {
            return l;
        }
        return switch (r.nextInt(5)) {
            case 0 -> call("tl", l);
            case 1 -> call("hd", l);
            case 2 -> {
                int i = r.nextInt(3);
                StringBuilder elixir = new StringBuilder();
                for (int k = 0; k < i; k++) {
                    elixir.append("tl(");
                }
                elixir.append(l.elixir());
                elixir.append(")".repeat(i));
                yield new Text(wrap(l, ATOM).ours() + "[" + i + "]", "hd(" + elixir + ")", ATOM);
            }
            default -> l;
        };
    }

    private Text mapTerm(int depth) {
        Var v = pickVar();
        if (v == null || !v.base().isObject() || depth <= 0) {
            return v == null ? literalOf(shapes.components(1)) : new Text(v.ours(), v.elixir(), ATOM);
        }
        List<String> keys = new ArrayList<>();
        v.base().fieldNames().forEachRemaining(keys::add);
        String key = keys.isEmpty() || r.nextInt(5) == 0 ? "nope" : keys.get(r.nextInt(keys.size()));
        String k = ElixirText.string(key);
        return new Text(v.ours() + "[" + k + "]", ":erlang.map_get(" + k + ", " + v.elixir() + ")", ATOM);
    }

    private Text listOf(int depth) {
        int n = r.nextInt(4);
        List<Text> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(r.nextBoolean() ? literalOf(pickBase()) : term(depth - 2));
        }
        return list(items);
    }

    private Text literalList() {
        int n = 1 + r.nextInt(3);
        List<Text> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(literalOf(pickBase()));
        }
        return list(items);
    }

    private static Text list(List<Text> items) {
        return list(items, null);
    }

    /** {@code [a, b]}, or {@code [a, b | tail]}. */
    private static Text list(List<Text> items, Text tail) {
        StringBuilder ours = new StringBuilder("[");
        StringBuilder elixir = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                ours.append(", ");
                elixir.append(", ");
            }
            ours.append(items.get(i).ours());
            elixir.append(items.get(i).elixir());
        }
        if (tail != null) {
            ours.append(" | ").append(tail.ours());
            elixir.append(" | ").append(tail.elixir());
        }
        return new Text(ours.append(']').toString(), elixir.append(']').toString(), ATOM);
    }

    private Text literalOf(JsonNode v) {
        String elixir = ElixirText.literal(v);
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && r.nextInt(8) == 0) {
            int n = v.intValue();
            elixir = n >= 'a' && n <= 'z' && r.nextBoolean() ? "?" + (char) n : "0x" + Integer.toHexString(n);
        } else if (v.isArray() && !v.isEmpty() && r.nextInt(4) == 0 && charlist(v)) {
            StringBuilder sb = new StringBuilder("'");
            v.forEach(c -> sb.append((char) c.intValue()));
            elixir = sb.append('\'').toString();
        }
        String ours = elixir;
        if (v.isNull() && r.nextBoolean()) {
            ours = "null";
        }
        boolean negative = v.isNumber() && v.decimalValue().signum() < 0
                || v.isNumber() && !v.isIntegralNumber() && Double.compare(v.doubleValue(), -0.0) == 0;
        return new Text(ours, elixir, negative ? UNARY : ATOM);
    }

    private static boolean charlist(JsonNode list) {
        for (JsonNode c : list) {
            if (!c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 'a' || c.intValue() > 'z') {
                return false;
            }
        }
        return true;
    }

    private JsonNode pickBase() {
        Var v = pickVar();
        if (v != null && r.nextBoolean()) {
            return v.base().isContainerNode() && v.base().size() > 0 && r.nextBoolean()
                    ? v.base().elements().next() : v.base();
        }
        return r.nextBoolean() ? shapes.number() : shapes.anyValue(2);
    }

    private Var pickVar() {
        return vars.isEmpty() ? null : vars.get(r.nextInt(vars.size()));
    }

    private Text varText() {
        Var v = pickVar();
        return v == null ? literalOf(shapes.number()) : new Text(v.ours(), v.elixir(), ATOM);
    }

    // ---- rendering with Elixir's precedence

    private static Text call(String name, Text... args) {
        StringBuilder ours = new StringBuilder(name).append('(');
        StringBuilder elixir = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                ours.append(", ");
                elixir.append(", ");
            }
            ours.append(args[i].ours());
            elixir.append(args[i].elixir());
        }
        return new Text(ours.append(')').toString(), elixir.append(')').toString(), ATOM);
    }

    private static Text unary(String op, Text operand) {
        Text inner = wrap(operand, UNARY);
        String sep = op.equals("not") ? " " : "";
        return new Text(op + sep + inner.ours(), op + sep + inner.elixir(), UNARY);
    }

    /** A left-associative operator, with the parentheses its operands need. */
    private static Text binary(Text a, String op, Text b, int prec) {
        return join(wrap(a, prec), op, wrap(b, prec + 1), prec);
    }

    /** {@code <>} is right-associative. */
    private static Text concat(Text a, Text b) {
        return join(wrap(a, CONCAT + 1), "<>", wrap(b, CONCAT), CONCAT);
    }

    private static Text join(Text left, String op, Text right, int prec) {
        return new Text(left.ours() + " " + op + " " + right.ours(), left.elixir() + " " + op + " " + right.elixir(),
                prec);
    }

    private static Text wrap(Text t, int needed) {
        return t.prec() >= needed ? t : new Text("(" + t.ours() + ")", "(" + t.elixir() + ")", ATOM);
    }
}
