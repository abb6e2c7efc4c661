package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class GuardCompileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GuardLimits LIMITS = GuardLimits.defaults();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static GuardError errorOf(String source) {
        return errorOf(source, LIMITS);
    }

    private static GuardError errorOf(String source, GuardLimits limits) {
        CompileResult r = Guard.compile(source, limits);
        assertThat(r).as("should be rejected: %s", source).isInstanceOf(CompileResult.Failed.class);
        return ((CompileResult.Failed) r).error();
    }

    @Test
    void theReferenceExampleWithItsCommentsAndTrailingCommaCompilesAndMatchesItsOwnShape() {
        String source = """
                [
                  "interaction", // match exactly on provided value for first field
                  "request",
                  SourceEntity,  // bare words become variables
                  "place",
                  _,             // underscore means unused variable = ignored value
                  ["announce", ["identity", Identity], _],
                ] where Identity["name"] == "harry"
                """;
        CompiledGuard g = Guard.compile(source, LIMITS).orElseThrow();
        assertThat(g.variables()).containsExactly("SourceEntity", "Identity");
        assertThat(g.matches(json("""
                ["interaction", "request", "e1", "place", "r", ["announce", ["identity", {"name": "harry"}], {}]]
                """))).isTrue();
        assertThat(g.matches(json("""
                ["interaction", "request", "e1", "place", "r", ["announce", ["identity", {"name": "sally"}], {}]]
                """))).isFalse();
    }

    @Test
    void matchReturnsTheBindingsOfEveryNamedVariable() {
        CompiledGuard g = Guard.compile("[\"new_tweet\", Sender, Body]", LIMITS).orElseThrow();
        MatchResult r = g.match(json("[\"new_tweet\", \"nevyn\", {\"text\": \"hi\"}]"), HostEnvironment.NONE);
        assertThat(r).isEqualTo(new MatchResult.Matched(Map.of("Sender", TextNode.valueOf("nevyn"),
                "Body", json("{\"text\": \"hi\"}"))));
        assertThat(g.match(json("[]"), HostEnvironment.NONE)).isEqualTo(new MatchResult.NoMatch());
    }

    @Test
    void whenIsAcceptedAsElixirWritesIt() {
        CompiledGuard g = Guard.compile("X when X == 1", LIMITS).orElseThrow();
        assertThat(g.matches(json("1"))).isTrue();
        assertThat(g.source()).isEqualTo("X when X == 1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "¦", textBlock = """
            [1, 2                          ¦ 1 ¦ 6  ¦ expected ',' or ']' in list, found end of source
            [1, 2]]                        ¦ 1 ¦ 7  ¦ expected 'where', 'when' or end of source, found ']'
            %{"a" 1}                       ¦ 1 ¦ 7  ¦ expected '=>' after map key, found number 1
            {1: 2}                         ¦ 1 ¦ 2  ¦ map keys must be strings, found number 1
            {"a": 1, "a": 2}               ¦ 1 ¦ 10 ¦ duplicate key "a" in map
            X where Y == 1                 ¦ 1 ¦ 9  ¦ undefined variable 'Y'; the pattern does not bind it
            X where frobnicate(X)          ¦ 1 ¦ 9  ¦ unknown function frobnicate/1
            X where length(X, 2)           ¦ 1 ¦ 9  ¦ length takes 1 argument, given 2
            X where String.contains?(X)    ¦ 1 ¦ 9  ¦ String.contains? takes 2 arguments, given 1
            X where _ignored == 1          ¦ 1 ¦ 9  ¦ undefined variable '_ignored'; the pattern does not bind it
            X where X = 1                  ¦ 1 ¦ 11 ¦ unexpected '='; use '==' to compare (there is no assignment in guards)
            X where                        ¦ 1 ¦ 8  ¦ expected a value, variable or call, found end of source
            where                          ¦ 1 ¦ 1  ¦ 'where' is a keyword and cannot be a pattern
            [1 | ]                         ¦ 1 ¦ 6  ¦ expected a pattern, found ']'
            [| T]                          ¦ 1 ¦ 2  ¦ expected a pattern, found '|'
            "abc                           ¦ 1 ¦ 1  ¦ unterminated string
            X where X == "\\u12"           ¦ 1 ¦ 15 ¦ \\u needs four hex digits
            is_binary(X)                   ¦ 1 ¦ 1  ¦ function calls are not allowed in patterns; use the guard after 'where'
            X where X.name == 1            ¦ 1 ¦ 10 ¦ X.name reads an atom key in Elixir, which JSON objects never have; write X["name"]
            X where X & Y                  ¦ 1 ¦ 11 ¦ unexpected '&'; did you mean '&&'?
            X where X == 12abc             ¦ 1 ¦ 14 ¦ malformed number
            X where X == 1e999             ¦ 1 ¦ 14 ¦ number 1e999 is out of range
            X ~ Y                          ¦ 1 ¦ 3  ¦ unexpected character '~'
            """)
    void malformedSourcesAreRejectedWithMessageLineAndColumn(String source, int line, int column, String message) {
        GuardError e = errorOf(source.replace("\\\\", "\\"));
        assertThat(e.message()).isEqualTo(message.replace("\\\\", "\\"));
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.column()).isEqualTo(column);
    }

    @Test
    void singleQuotedCharlistsAreListsOfCodePointsAsInElixir() {
        CompiledGuard g = Guard.compile("X where X == 'aé' and ?a == 97", LIMITS).orElseThrow();
        assertThat(g.matches(json("[97, 233]"))).isTrue();
        assertThat(g.matches(json("\"aé\""))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "¦", textBlock = """
            X where X == :a                ¦ 14 ¦ atoms other than true, false and nil never occur in JSON values and are not supported
            X where X.a.b == 1             ¦ 10 ¦ X.a reads an atom key in Elixir, which JSON objects never have; write X["a"]
            X where node() == X            ¦ 9  ¦ node() names a node or process, which no JSON value is; it is not supported
            X where X == <<1>>             ¦ 14 ¦ bitstring syntax << >> is not supported; write "text"
            X where X == ~s(a)             ¦ 14 ¦ sigils are not supported; write a "string" or 'charlist'
            X where X ++ [1] == [1]        ¦ 11 ¦ '++' is not allowed in guards (Elixir forbids it too)
            X where X ** 2 == 4            ¦ 11 ¦ '**' is not allowed in guards (Elixir forbids it too)
            X where X in 1.5..2            ¦ 17 ¦ ranges (first..last//step) expect both sides to be integers
            X where X in 1..3//0           ¦ 15 ¦ ranges (first..last//step) expect the step to be a non-zero integer
            X where X == 1..3              ¦ 15 ¦ a range (first..last) can only be the right side of 'in'
            X where X == %{1 => 2}         ¦ 16 ¦ map keys must be strings, found number 1
            X where ^X == 1                ¦ 9  ¦ the pin operator ^ has nothing to pin in a guard
            X where _ == 1                 ¦ 9  ¦ '_' matches anything but binds nothing; it cannot be used in the guard
            X where X |> 1                 ¦ 14 ¦ the right side of |> must be a function call, as in X |> is_binary()
            X where String.length(X) == 1  ¦ 9  ¦ unknown function String.length/1
            X where is_function(X, 1, 2)   ¦ 9  ¦ is_function takes 1 or 2 arguments, given 3
            X <> "a"                       ¦ 3  ¦ the left side of <> in a pattern must be a literal string
            "a" <> X <> "b"                ¦ 10 ¦ the left side of <> in a pattern must be a literal string
            %{X => 1}                      ¦ 3  ¦ map keys must be literals, found 'X'
            %{"a" => 1, "a" => 2}          ¦ 13 ¦ duplicate key "a" in map
            X where X == "\\ud800"         ¦ 15 ¦ \\ud800 is a lone UTF-16 surrogate, no character
            -X                             ¦ 2  ¦ expected a number after '-', found 'X'
            """)
    void elixirConstructsThatMeanNothingOverJsonAreRejectedWithAReason(String source, int column, String message) {
        GuardError e = errorOf(source.replace("\\\\", "\\"));
        assertThat(e.message()).isEqualTo(message.replace("\\\\", "\\"));
        assertThat(e.column()).isEqualTo(column);
    }

    @Test
    void aGuardAfterASecondWhenIsAnAlternativeWhoseErrorsStayItsOwn() {
        CompiledGuard g = Guard.compile("X when hd(X) == 1 when X == 2 where is_map(X)", LIMITS).orElseThrow();
        assertThat(g.matches(json("[1]"))).isTrue();
        assertThat(g.matches(json("2"))).as("hd(2) fails only the first guard").isTrue();
        assertThat(g.matches(json("{}"))).isTrue();
        assertThat(g.matches(json("3"))).isFalse();
    }

    @Test
    void underscoredNamesBindLikeAnyVariable() {
        CompiledGuard g = Guard.compile("[_a, _a, _] when _a > 1", LIMITS).orElseThrow();
        assertThat(g.variables()).containsExactly("_a");
        assertThat(g.matches(json("[2, 2, 0]"))).isTrue();
        assertThat(g.matches(json("[2, 3, 0]"))).isFalse();
        assertThat(g.matches(json("[1, 1, 0]"))).isFalse();
    }

    @Test
    void aGuardBuildingAnImproperListIsAbandonedAsOverItsLimits() {
        CompiledGuard g = Guard.compile("[X, T] when hd([X | T]) == 1", LIMITS).orElseThrow();
        assertThat(g.matches(json("[1, [2]]"))).isTrue();
        assertThat(g.match(json("[1, 2]"), HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
    }

    @Test
    void shiftingByAHugeCountRunsOutOfStepsInsteadOfAllocating() {
        CompiledGuard g = Guard.compile("[X, N] when bsl(X, N) > 0", LIMITS).orElseThrow();
        assertThat(g.matches(json("[1, 100]"))).isTrue();
        assertThat(g.match(json("[1, 4000000000]"), HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
        assertThat(g.match(json("[1, 1000000]"), HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
    }

    @Test
    void multiplyingHugeIntegersIsPaidForInSteps() {
        String big = "9".repeat(900);
        CompiledGuard g = Guard.compile("X when X * X * X * X * X * X * X * X > 0", LIMITS).orElseThrow();
        assertThat(g.match(json(big), HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
        assertThat(g.matches(json("3"))).isTrue();
    }

    @Test
    void errorsOnLaterLinesNameThatLineAndColumn() {
        GuardError e = errorOf("[\n  \"a\",\n  Foo\n] where\n  Foo == bar");
        assertThat(e).isEqualTo(new GuardError("undefined variable 'bar'; the pattern does not bind it", 5, 10));
        assertThat(e.toString()).isEqualTo("line 5, column 10: undefined variable 'bar'; the pattern does not bind it");
    }

    @Test
    void aSourceLongerThanTheLimitIsRejectedBeforeLexing() {
        String huge = "\"" + "a".repeat(1024 * 1024) + "\"";
        GuardError e = errorOf(huge);
        assertThat(e.message()).isEqualTo("source is 1048578 characters, more than the limit of 8192");
    }

    @Test
    void tenThousandNestedListsAreRejectedAsTooDeep() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        GuardLimits roomy = new GuardLimits(100_000, 64, 10_000, 1000);
        GuardError e = errorOf(deep, roomy);
        assertThat(e.message()).isEqualTo("nesting deeper than 64 levels");
        assertThat(e.column()).isEqualTo(65);
    }

    @Test
    void deepParenthesesNotChainsAndIndexChainsAreAllBoundedByDepth() {
        GuardLimits roomy = new GuardLimits(200_000, 64, 10_000, 1000);
        assertThat(errorOf("X where " + "(".repeat(10_000) + "X" + ")".repeat(10_000), roomy).message())
                .isEqualTo("nesting deeper than 64 levels");
        assertThat(errorOf("X where " + "not ".repeat(10_000) + "X", roomy).message())
                .isEqualTo("nesting deeper than 64 levels");
        assertThat(errorOf("X where X" + "[0]".repeat(10_000), roomy).message())
                .isEqualTo("nesting deeper than 64 levels");
        assertThat(errorOf("X where X" + " == X".repeat(10_000), roomy).message())
                .isEqualTo("nesting deeper than 64 levels");
        assertThat(errorOf("X where " + "%{\"a\" => ".repeat(5_000) + "1" + "}".repeat(5_000), roomy).message())
                .isEqualTo("nesting deeper than 64 levels");
    }

    @Test
    void longFlatOrChainsAreWidthNotDepthAndCompile() {
        StringBuilder sb = new StringBuilder("X where X == 0");
        for (int i = 1; i < 500; i++) {
            sb.append(" or X == ").append(i);
        }
        CompiledGuard g = Guard.compile(sb.toString(), new GuardLimits(100_000, 64, 10_000, 1000)).orElseThrow();
        assertThat(g.matches(json("499"))).isTrue();
        assertThat(g.matches(json("500"))).isFalse();
    }

    @Test
    void aGuardThatRunsOutOfStepsOnAHugeValueIsANonMatchAndSaysSo() {
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 50_000; i++) {
            big.add(i);
        }
        ArrayNode pair = JsonNodeFactory.instance.arrayNode().add(big).add(big.deepCopy());
        CompiledGuard equalHalves = Guard.compile("[X, X]", LIMITS).orElseThrow();
        assertThat(equalHalves.match(pair, HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
        CompiledGuard membership = Guard.compile("[X, L] where 49999 in L and X != L", LIMITS).orElseThrow();
        assertThat(membership.match(pair, HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
        CompiledGuard negated = Guard.compile("[X, Y] where X != Y", LIMITS).orElseThrow();
        assertThat(negated.matches(pair)).as("exhaustion must not read as 'different'").isFalse();
        GuardLimits generous = new GuardLimits(8192, 64, 1_000_000, 1000);
        assertThat(Guard.compile("[X, X]", generous).orElseThrow().matches(pair)).isTrue();
    }

    @Test
    void containsOnAHugeStringSpendsStepsInProportion() {
        JsonNode s = TextNode.valueOf("a".repeat(1_000_000));
        CompiledGuard g = Guard.compile("S where contains(S, \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\")", LIMITS)
                .orElseThrow();
        assertThat(g.match(s, HostEnvironment.NONE)).isEqualTo(new MatchResult.StepsExhausted());
    }

    @Test
    void valuesDeeperThanTheValueLimitMakeComparisonsFail() {
        JsonNode deep = JsonNodeFactory.instance.arrayNode();
        JsonNode cursor = deep;
        for (int i = 0; i < 200; i++) {
            ArrayNode next = JsonNodeFactory.instance.arrayNode();
            ((ArrayNode) cursor).add(next);
            cursor = next;
        }
        ArrayNode pair = JsonNodeFactory.instance.arrayNode().add(deep).add(deep.deepCopy());
        GuardLimits shallow = new GuardLimits(8192, 64, 100_000, 100);
        assertThat(Guard.compile("[X, Y] where X == Y", shallow).orElseThrow().matches(pair)).isFalse();
        assertThat(Guard.compile("[X, Y] where X != Y", shallow).orElseThrow().matches(pair)).isFalse();
        GuardLimits deepEnough = new GuardLimits(8192, 64, 100_000, 1000);
        assertThat(Guard.compile("[X, Y] where X == Y", deepEnough).orElseThrow().matches(pair)).isTrue();
    }

    @Test
    void hostFunctionsMustBeDeclaredAndAreCalledWithEvaluatedArguments() {
        HostFunctions declared = new HostFunctions(Map.of("owner_of", 1));
        assertThat(Guard.compile("[E] where owner_of(E) == \"a1\"", LIMITS)).isInstanceOf(CompileResult.Failed.class);
        assertThat(((CompileResult.Failed) Guard.compile("[E] where owner_of(E, E)", LIMITS, declared)).error()
                .message()).isEqualTo("owner_of takes 1 argument, given 2");
        CompiledGuard g = Guard.compile("[E] where owner_of(E) == \"a1\"", LIMITS, declared).orElseThrow();
        HostEnvironment env = (name, args) -> name.equals("owner_of") && args[0].asText().equals("e1")
                ? TextNode.valueOf("a1") : null;
        assertThat(g.matches(json("[\"e1\"]"), env)).isTrue();
        assertThat(g.matches(json("[\"e2\"]"), env)).isFalse();
        assertThat(g.matches(json("[\"e1\"]"))).as("no environment: guard error").isFalse();
        HostEnvironment throwing = (name, args) -> {
            throw new IllegalStateException("broken host");
        };
        assertThat(g.matches(json("[\"e1\"]"), throwing)).isFalse();
    }

    @Test
    void orElseThrowRaisesTheSyntaxExceptionCarryingTheError() {
        assertThatThrownBy(() -> Guard.compile("[", LIMITS).orElseThrow())
                .isInstanceOf(GuardSyntaxException.class)
                .hasMessage("line 1, column 2: expected a pattern, found end of source");
    }

    @Test
    void limitsRejectNonsenseAndStackThreateningValues() {
        assertThatThrownBy(() -> new GuardLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuardLimits(1, 100_000, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GuardLimits.defaults()).isEqualTo(new GuardLimits(8192, 64, 10_000, 1000));
    }

    @Test
    void compiledGuardsAreSharedSafelyBetweenMatches() {
        CompiledGuard g = Guard.compile("[X, X]", LIMITS).orElseThrow();
        assertThat(g.matches(json("[1, 1]"))).isTrue();
        assertThat(g.matches(json("[2, 2]"))).as("slots from the last match do not leak").isTrue();
        assertThat(g.matches(json("[1, 2]"))).isFalse();
    }
}
