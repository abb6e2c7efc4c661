package dev.alloplace.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.state.ClientStateMirror;

/** JSON frames of every channel: commands, intents, clock, state documents. Decoding is total. */
class ProtocolFuzzTests {

    @FuzzTest(maxDuration = "2h")
    void jsonFrames(byte[] frame) {
        ParseResult<JsonNode> json = ProtocolJson.read(frame);
        if (json instanceof ParseResult.Success<JsonNode> ok) {
            Interaction.parse(ok.value());
            IntentCodec.decode(ok.value());
            new ClientStateMirror().apply(ok.value());
        }
    }

    /** The same target for a few seconds of live fuzzing in the normal build (pom.xml, fuzz-* executions). */
    @FuzzTest(maxDuration = "9s")
    void briefly(byte[] frame) {
        jsonFrames(frame);
    }
}
