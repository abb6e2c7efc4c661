package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties over random values and random text: literal patterns match themselves, compiling is
 * total, and the differential test's random guards match even values no JSON text decodes to.
 */
class GuardProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GuardLimits LIMITS = new GuardLimits(1 << 20, 64, 1_000_000, 1000);

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static JsonNode randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> NullNode.instance;
            case 1 -> BooleanNode.valueOf(r.nextBoolean());
            case 2 -> LongNode.valueOf(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(100) - 50);
            case 3 -> DoubleNode.valueOf((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(20) - 10));
            case 4, 5 -> TextNode.valueOf(randomString(r));
            case 6 -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(randomString(r), randomValue(r, depth + 1));
                }
                yield o;
            }
        };
    }

    private static String randomString(Random r) {
        String alphabet = "aZ_09 \"\\/\n\t#{}|é€😀[],:=>";
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0,
                    alphabet.length()))));
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** Writes a value as pattern source; each subtree may be replaced by a fresh variable or `_`. */
    private static String toPattern(JsonNode v, Random r, int[] vars, boolean holes) throws Exception {
        if (holes && r.nextInt(6) == 0) {
            return r.nextBoolean() ? "_" : "V" + (vars[0]++);
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(toPattern(v.get(i), r, vars, holes));
            }
            return sb.append("]").toString();
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "%{" : "{");
            boolean elixir = sb.charAt(0) == '%';
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (holes && r.nextInt(4) == 0) {
                    continue;
                }
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(JSON.writeValueAsString(e.getKey())).append(elixir ? " => " : ": ")
                        .append(toPattern(e.getValue(), r, vars, holes));
            }
            return sb.append("}").toString();
        }
        if (v.isNull()) {
            return r.nextBoolean() ? "nil" : "null";
        }
        return JSON.writeValueAsString(v);
    }

    @Property(tries = 300)
    void aValueWrittenAsALiteralPatternMatchesItself(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        JsonNode value = randomValue(r, 0);
        String source = toPattern(value, r, new int[1], false);
        CompiledGuard g = Guard.compile(source, LIMITS).orElseThrow();
        assertThat(g.matches(value)).as(source).isTrue();
        assertThat(g.matches(JSON.readTree(JSON.writeValueAsString(value)))).as("after a JSON round trip").isTrue();
    }

    @Property(tries = 300)
    void aPatternWithHolesStillMatchesAndEqualityGuardOnEachVariableHolds(@ForAll("seeds") long seed)
            throws Exception {
        Random r = new Random(seed);
        JsonNode value = randomValue(r, 0);
        int[] vars = new int[1];
        String pattern = toPattern(value, r, vars, true);
        StringBuilder source = new StringBuilder(pattern);
        if (vars[0] > 0) {
            source.append(" where V0 == V0");
            for (int i = 1; i < vars[0]; i++) {
                source.append(" and V").append(i).append(" === V").append(i);
            }
        }
        CompiledGuard g = Guard.compile(source.toString(), LIMITS).orElseThrow();
        assertThat(g.matches(value)).as(source.toString()).isTrue();
    }

    @Property(tries = 200)
    void aLiteralPatternDoesNotMatchAChangedValue(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        JsonNode value = randomValue(r, 0);
        CompiledGuard g = Guard.compile(toPattern(value, r, new int[1], false), LIMITS).orElseThrow();
        ArrayNode wrapped = JsonNodeFactory.instance.arrayNode().add(value);
        assertThat(g.matches(wrapped)).isFalse();
    }

    @Property(tries = 1000)
    void compilingRandomTokenSoupNeverThrows(@ForAll("soup") String source) {
        CompileResult r = Guard.compile(source, GuardLimits.defaults());
        if (r instanceof CompileResult.Compiled c) {
            c.guard().matches(JsonNodeFactory.instance.arrayNode().add(1).add("a"));
        } else {
            GuardError e = ((CompileResult.Failed) r).error();
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.message()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> token = Arbitraries.of("[", "]", "{", "}", "%{", "(", ")", ",", ":", "|", "=>", "==",
                "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||", "!", "-", ".", "where", "when", "and", "or",
                "not", "in", "X", "Y", "_", "_a", "nil", "true", "1", "2.5", "1e3", "\"s\"", "\"", "\\", "#",
                "//", "\n", " ", "length", "String", "contains?", "is_nil", "=", "&", "'", "~", "é", "\u0000",
                "9999999999999999999999");
        return token.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    /** Values no JSON text decodes to but a caller may hand in, and numbers beyond any limit. */
    private static final List<JsonNode> EXTREMES = List.of(DoubleNode.valueOf(Double.POSITIVE_INFINITY),
            DoubleNode.valueOf(Double.NEGATIVE_INFINITY), DoubleNode.valueOf(Double.NaN), DoubleNode.valueOf(-0.0),
            BigIntegerNode.valueOf(BigInteger.TWO.pow(5000).negate()), DecimalNode.valueOf(new BigDecimal("1e-400")),
            LongNode.valueOf(Long.MIN_VALUE), BinaryNode.valueOf(new byte[] {(byte) 0xff}), new POJONode(new Object()),
            MissingNode.getInstance(), TextNode.valueOf("\ud800"));

    /** Some numbers in the value, or the whole value, replaced by one of the extremes. */
    private static JsonNode extreme(JsonNode v, Random r) {
        if ((v.isNumber() && r.nextInt(3) > 0) || r.nextInt(8) == 0) {
            return EXTREMES.get(r.nextInt(EXTREMES.size()));
        }
        if (v.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            v.forEach(item -> out.add(extreme(item, r)));
            return out;
        }
        if (v.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            v.fields().forEachRemaining(f -> out.set(f.getKey(), extreme(f.getValue(), r)));
            return out;
        }
        return v;
    }

    @Property(tries = 300)
    void randomElixirGuardsMatchAnyValueWithoutThrowing(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        for (DifferentialCase c : new RandomGuards(r).generate(4, 4)) {
            if (!(Guard.compile(c.ours(), GuardLimits.defaults()) instanceof CompileResult.Compiled compiled)) {
                continue;
            }
            CompiledGuard g = compiled.guard();
            for (String json : c.values()) {
                JsonNode value = JSON.readTree(json);
                assertThat(g.match(value, HostEnvironment.NONE)).isNotNull();
                assertThat(g.match(extreme(value, r), HostEnvironment.NONE)).as("%s against extremes", c.ours())
                        .isNotNull();
            }
        }
    }

    @Example
    void everyOperatorAndBuiltinTakesEveryExtremeOperandWithoutThrowing() throws Exception {
        List<JsonNode> operands = new java.util.ArrayList<>(EXTREMES);
        for (String json : OperatorTables.OPERANDS) {
            operands.add(JSON.readTree(json));
        }
        for (OperatorTables.Operation op : OperatorTables.operations()) {
            String source = (op.arity() == 1 ? "[x]" : "[x, y]") + " when is_nil(" + op.ours() + ") or true";
            CompiledGuard g = Guard.compile(source, GuardLimits.defaults()).orElseThrow();
            for (JsonNode a : operands) {
                for (JsonNode b : op.arity() == 1 ? List.<JsonNode>of(NullNode.instance) : operands) {
                    ArrayNode value = JsonNodeFactory.instance.arrayNode().add(a);
                    if (op.arity() == 2) {
                        value.add(b);
                    }
                    assertThat(g.match(value, HostEnvironment.NONE)).as("%s on %s", source, value).isNotNull();
                }
            }
        }
    }

    @Property(tries = 300)
    void compilingRandomCharactersNeverThrows(@ForAll String source) {
        CompileResult r = Guard.compile(source, GuardLimits.defaults());
        assertThat(r).isNotNull();
    }
}
