package dev.alloplace.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** The streaming intent reader decides exactly as parsing the tree and decoding it does. */
class IntentReaderProperties {

    private static final List<String> NUMBERS = List.of("0", "1", "-2.5", "1e400", "-1e400", "3.25e-2", "12345678901234567890123",
            "\"1\"", "true", "null", "[]", "{}");
    private static final List<String> MATRICES = List.of("[1,0,0,0,0,1,0,0,0,0,1,0,2,3,4,1]",
            "[1,0,0,0,0,1,0,0,0,0,1,0,2,3,4]", "[1,0,0,0,0,1,0,0,0,0,1,0,2,3,4,1,5]", "[1,0,0,0,0,1,0,0,0,0,1,0,2,3,\"4\",1]",
            "[1,0,0,0,0,1,0,0,0,0,1,0,2,3,1e999,1]", "[[1],0,0,0,0,1,0,0,0,0,1,0,2,3,4,1]", "{}", "null", "7",
            "[0.5,0.25,0,0,0,1,0,0,0,0,1,0,{\"a\":[1]},3,4,1]");

    private static Arbitrary<String> oneOf(List<String> values) {
        return Arbitraries.of(values);
    }

    /** An object from some of these fields in any order, maybe with an unknown one or a duplicate. */
    private static Arbitrary<String> object(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<String>> parts = new ArrayList<>();
        fields.forEach((name, value) -> parts.add(Combinators.combine(Arbitraries.integers().between(0, 5), value)
                .as((presence, v) -> presence == 0 ? "" : "\"" + name + "\":" + v)));
        parts.add(Arbitraries.of("", "", "", "", "", "\"unknown\":{\"x\":[1,{\"y\":2}]}", "\"cmd\":\"other\""));
        return Combinators.combine(parts).as(values -> {
            List<String> present = new ArrayList<>(values.stream().filter(v -> !v.isEmpty()).toList());
            Collections.shuffle(present, new java.util.Random(present.hashCode()));
            return "{" + String.join(",", present) + "}";
        });
    }

    @Provide
    Arbitrary<String> intents() {
        Arbitrary<String> grab = object(Map.of("entity", Arbitraries.of("\"box\"", "\"\"", "5", "null"),
                "grabber_from_entity_transform", oneOf(MATRICES)));
        Arbitrary<String> pose = Arbitraries.frequencyOf(Tuple.of(4, object(Map.of("matrix", oneOf(MATRICES), "grab",
                Arbitraries.oneOf(grab, Arbitraries.of("null", "[]"))))), Tuple.of(1, Arbitraries.of("null", "[]", "3")));
        Arbitrary<String> poses = Arbitraries.frequencyOf(Tuple.of(5, object(Map.of("head", pose, "hand/left", pose,
                "root", pose, "p9", pose))), Tuple.of(1, Arbitraries.of("[]", "null")));
        Arbitrary<String> body = Arbitraries.frequencyOf(Tuple.of(8, object(Map.of("wants_stick_movement", Arbitraries.of("true", "false",
                "0", "null"), "xmovement", oneOf(NUMBERS), "yaw", oneOf(NUMBERS), "pitch", oneOf(NUMBERS),
                "ack_state_rev", oneOf(NUMBERS), "poses", poses))), Tuple.of(1, Arbitraries.of("[]", "\"x\"", "null")));
        Arbitrary<String> message = object(Map.of("cmd", Arbitraries.of("\"intent\"", "\"intent\"", "\"intent\"", "\"intent\"", "\"Intent\"", "1"),
                "intent", body));
        return Combinators.combine(message, Arbitraries.of("", "", "", "", "", "", "", "", "\n", "\u0000", " x", "}", "{}", "[", "  \r\n"))
                .as((m, tail) -> m + tail);
    }

    @Property(tries = 2000)
    void readsAsTheTreeDecodes(@ForAll("intents") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ParseResult<Intent> streamed = IntentReader.read(bytes);
        ParseResult<JsonNode> tree = ProtocolJson.read(bytes);
        ParseResult<Intent> decoded = tree instanceof ParseResult.Success<JsonNode> json ? IntentCodec.decode(json.value())
                : ParseResult.failure("unreadable");
        Statistics.label("outcome").collect(streamed instanceof ParseResult.Success<Intent> ok
                ? ok.value().poses().isEmpty() ? "intent" : "intent with poses" : "refused");
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("intent with poses").percentage(p -> p > 3);
            coverage.check("refused").percentage(p -> p > 10);
        });
        assertThat(streamed.getClass()).as(text).isEqualTo(decoded.getClass());
        if (streamed instanceof ParseResult.Success<Intent> ok) {
            assertThat(describe(ok.value())).as(text).isEqualTo(describe(((ParseResult.Success<Intent>) decoded).value()));
        }
    }

    @Example
    void truncatedCorruptAndTooDeepMessagesAreRefusedAlike() {
        String deep = "{\"cmd\":\"intent\",\"intent\":{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}}";
        for (String text : List.of("", "\u0000\n", "{\"cmd\":\"intent\",\"intent\":{", "{\"cmd\":\"intent\",\"cmd\":\"intent\",\"intent\":{}}",
                "{\"cmd\":\"intent\",\"intent\":{\"yaw\":1,\"yaw\":2}}", deep, "{\"cmd\":\"intent\",\"intent\":{}}}")) {
            assertThat(IntentReader.read(text.getBytes(StandardCharsets.UTF_8))).as(text).isInstanceOf(ParseResult.Failure.class);
        }
    }

    private static String describe(Intent intent) {
        StringBuilder text = new StringBuilder().append(intent.wantsStickMovement()).append(' ').append(intent.xmovement())
                .append(' ').append(intent.zmovement()).append(' ').append(intent.yaw()).append(' ').append(intent.pitch())
                .append(' ').append(intent.ackStateRev());
        intent.poses().forEach((name, pose) -> {
            text.append(' ').append(name).append(java.util.Arrays.toString(pose.matrix()));
            if (pose.grab() != null) {
                text.append(" grab ").append(pose.grab().entity())
                        .append(java.util.Arrays.toString(pose.grab().grabberFromEntityTransform()));
            }
        });
        return text.toString();
    }
}
