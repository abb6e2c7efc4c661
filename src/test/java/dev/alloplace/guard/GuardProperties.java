package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties over random values and random text: literal patterns match themselves, compiling is total. */
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

    @Property(tries = 300)
    void compilingRandomCharactersNeverThrows(@ForAll String source) {
        CompileResult r = Guard.compile(source, GuardLimits.defaults());
        assertThat(r).isNotNull();
    }
}
