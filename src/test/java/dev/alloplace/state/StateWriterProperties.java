package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StateWriterProperties {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Property(tries = 100)
    void aReusedWriterCopiesOutExactlyWhatWasWrittenSinceItsReset(@ForAll("trees") JsonNode first,
            @ForAll("trees") JsonNode second) {
        StateWriter reused = new StateWriter(4);
        reused.value(first);
        byte[] firstCopy = reused.copy();
        reused.reset(16);
        reused.value(second);

        assertThat(parse(firstCopy).equals(StateWriterProperties::sameValue, first)).isTrue();
        assertThat(parse(reused.copy()).equals(StateWriterProperties::sameValue, second)).isTrue();
    }

    @Property(tries = 400)
    void anyTreeIsWrittenAsJsonThatParsesBackEqual(@ForAll("trees") JsonNode tree) {
        StateWriter writer = new StateWriter(8);
        writer.value(tree);
        JsonNode parsed = parse(writer.toByteArray());
        assertThat(parsed.equals(StateWriterProperties::sameValue, tree)).as("%s vs %s", parsed, tree).isTrue();
    }

    @Property(tries = 400)
    void keysAndStringsOfAnyCharactersRoundTrip(@ForAll("text") String key, @ForAll("text") String value) {
        StateWriter writer = new StateWriter(4);
        writer.raw(new byte[] {'{'});
        writer.key(key);
        writer.string(value);
        writer.raw(new byte[] {'}'});
        JsonNode parsed = parse(writer.toByteArray());
        assertThat(parsed.get(key).textValue()).isEqualTo(value);
    }

    @Example
    void loneSurrogatesAreEscapedInsteadOfFailing() {
        StateWriter writer = new StateWriter(8);
        writer.string("a\ud800b\udc00");
        assertThat(new String(writer.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("\"a\\ud800b\\udc00\"");
    }

    @Example
    void numbersKeepTheirKind() {
        ArrayNode numbers = F.arrayNode().add(0).add(-7).add(Long.MAX_VALUE).add(0.1).add(1e300).add(-2.5e-8)
                .add(new java.math.BigInteger("123456789012345678901234567890"));
        StateWriter writer = new StateWriter(8);
        writer.value(numbers);
        assertThat(new String(writer.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("[0,-7,9223372036854775807,0.1,1.0E300,-2.5E-8,123456789012345678901234567890]");
    }

    private static JsonNode parse(byte[] json) {
        ParseResult<JsonNode> result = ProtocolJson.read(json);
        assertThat(result).as(new String(json, StandardCharsets.UTF_8)).isInstanceOf(ParseResult.Success.class);
        return ((ParseResult.Success<JsonNode>) result).value();
    }

    /** Numbers compare by value (the parser picks int, long or double by magnitude). */
    private static int sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(12)
                .injectDuplicates(0.1)
                .edgeCases(edges -> edges.add("\"\\\n\u0000\u2028\ud83d\ude00"));
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return Arbitraries.recursive(this::leaf, this::container, 0, 4);
    }

    private Arbitrary<JsonNode> leaf() {
        return Arbitraries.oneOf(
                text().map(F::textNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.doubles().filter(Double::isFinite).map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()));
    }

    private Arbitrary<JsonNode> container(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(items -> {
            ArrayNode node = F.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(text(), inner).ofMaxSize(4).map(fields -> {
            ObjectNode node = F.objectNode();
            fields.forEach(node::set);
            return node;
        });
        return Arbitraries.oneOf(array, object);
    }
}
