package dev.alloplace.guard;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;

/** Guard sources compile totally; compiled guards match any JSON value without throwing. */
class GuardFuzzTests {

    @FuzzTest(maxDuration = "2h")
    void guardSources(FuzzedDataProvider data) {
        String source = data.consumeString(4096);
        byte[] value = data.consumeRemainingAsBytes();
        CompileResult result = Guard.compile(source, GuardLimits.defaults());
        if (result instanceof CompileResult.Compiled compiled
                && ProtocolJson.read(value) instanceof ParseResult.Success<JsonNode> json) {
            compiled.guard().matches(json.value());
        }
    }

    @FuzzTest(maxDuration = "2h")
    void guardSourcesAsBytes(byte[] source) {
        Guard.compile(new String(source, StandardCharsets.UTF_8), GuardLimits.defaults());
    }

    /** The same target for a few seconds of live fuzzing in the normal build (pom.xml, fuzz-* executions). */
    @FuzzTest(maxDuration = "9s")
    void briefly(FuzzedDataProvider data) {
        guardSources(data);
    }
}
