package dev.alloplace.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InteractionTest {

    private static JsonNode json(String text) {
        return ((ParseResult.Success<JsonNode>) ProtocolJson.read(text.getBytes(StandardCharsets.UTF_8))).value();
    }

    @Test
    void prettyPrintedRequestFromAllonetIsRead() {
        ParseResult<Interaction> result = Interaction.parse(json(
                "[\n\t\"interaction\",\n\t\"request\",\n\t\"\",\n\t\"place\",\n\t\"ANN0\",\n\t[\"announce\", \"version\", 4]\n]"));

        assertThat(result).isInstanceOf(ParseResult.Success.class);
        Interaction interaction = ((ParseResult.Success<Interaction>) result).value();
        assertThat(interaction.type()).isEqualTo(InteractionType.REQUEST);
        assertThat(interaction.from()).isEmpty();
        assertThat(interaction.to()).isEqualTo("place");
        assertThat(interaction.requestId()).isEqualTo("ANN0");
        assertThat(interaction.name()).isEqualTo("announce");
    }

    @Test
    void nullAddressesReadAsEmptyAndElixirOneWayIsOneway() {
        Interaction interaction = ((ParseResult.Success<Interaction>) Interaction.parse(
                json("[\"interaction\",\"one-way\",null,\"x\",null,[\"poke\"]]"))).value();

        assertThat(interaction.type()).isEqualTo(InteractionType.ONEWAY);
        assertThat(interaction.from()).isEmpty();
        assertThat(interaction.requestId()).isEmpty();
    }

    @Test
    void anInteractionReadFromTheWireKeepsTheBytesItCameInAsItsEncoding() {
        byte[] received = "[ \"interaction\", \"request\", \"e1\", \"e2\", \"r1\", [\"poke\", {\"x\": 1.50}] ]\n"
                .getBytes(StandardCharsets.UTF_8);
        Interaction interaction = ((ParseResult.Success<Interaction>) Interaction.parse(json(new String(received,
                StandardCharsets.UTF_8)), received)).value();

        assertThat(interaction.encode()).as("routed on as it came, not encoded again").isSameAs(received);
        assertThat(interaction.toJson()).as("the envelope rules see, made once").isSameAs(interaction.toJson());
        assertThat(interaction.toJson().toString()).isEqualTo("[\"interaction\",\"request\",\"e1\",\"e2\",\"r1\",[\"poke\",{\"x\":1.5}]]");
    }

    @Test
    void aLenientlyReadInteractionIsEncodedFromWhatThePlaceReadNotAsItCame() {
        for (String lenient : new String[] {"[\"interaction\",\"one-way\",\"e1\",\"e2\",\"\",[\"poke\"]]",
                "[\"interaction\",\"oneway\",\"e1\",\"e2\",null,[\"poke\"]]",
                "[\"interaction\",\"oneway\",\"e1\",\"e2\",\"\",[\"poke\"],\"extra\"]"}) {
            byte[] received = lenient.getBytes(StandardCharsets.UTF_8);
            Interaction interaction = ((ParseResult.Success<Interaction>) Interaction.parse(json(lenient), received)).value();

            assertThat(new String(interaction.encode(), StandardCharsets.UTF_8)).as(lenient)
                    .isEqualTo("[\"interaction\",\"oneway\",\"e1\",\"e2\",\"\",[\"poke\"]]");
            assertThat(interaction.encode()).as("encoded once for every recipient").isSameAs(interaction.encode());
        }
    }

    @Test
    void shapesThatAreNotInteractionsAreRefusedWithAReason() {
        assertThat(Interaction.parse(json("{\"cmd\":\"interact\"}"))).isInstanceOf(ParseResult.Failure.class);
        assertThat(Interaction.parse(json("[\"interaction\",\"request\",\"a\",\"b\",\"c\"]")))
                .isEqualTo(ParseResult.failure("an interaction must have 6 elements"));
        assertThat(Interaction.parse(json("[\"interaction\",\"shout\",\"a\",\"b\",\"c\",[\"x\"]]")))
                .isEqualTo(ParseResult.failure("unknown interaction type shout"));
        assertThat(Interaction.parse(json("[\"interaction\",\"request\",5,\"b\",\"c\",[\"x\"]]")))
                .isEqualTo(ParseResult.failure("element 2 must be a string"));
        assertThat(Interaction.parse(json("[\"interaction\",\"request\",\"a\",\"b\",\"c\",[]]")))
                .isEqualTo(ParseResult.failure("element 5 (body) must be a non-empty array"));
    }

    @Test
    void responseSwapsAddressesAndKeepsTheRequestId() {
        Interaction request = new Interaction(InteractionType.REQUEST, "a", "b", "r1", Interaction.body("ping"));

        Interaction response = request.respond(Interaction.body("ping", "ok"));

        assertThat(new String(response.encode(), StandardCharsets.UTF_8))
                .isEqualTo("[\"interaction\",\"response\",\"b\",\"a\",\"r1\",[\"ping\",\"ok\"]]");
    }

    @Test
    void trailingNewlineAndNulAreToleratedButGarbageIsNot() {
        assertThat(ProtocolJson.read("{\"a\":1}\n\0".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseResult.Success.class);
        assertThat(ProtocolJson.read("{\"a\":1} x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseResult.Failure.class);
        assertThat(ProtocolJson.read(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}))
                .isInstanceOf(ParseResult.Failure.class);
        assertThat(ProtocolJson.read("[".repeat(10_000).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseResult.Failure.class);
        assertThat(ProtocolJson.read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseResult.Failure.class);
    }
}
