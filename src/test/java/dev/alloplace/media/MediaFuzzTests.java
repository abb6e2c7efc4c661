package dev.alloplace.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;

/** Media frames and allocate_track bodies. */
class MediaFuzzTests {

    @FuzzTest(maxDuration = "2h")
    void mediaFramesAndTrackRequests(byte[] input) {
        MediaFrame.decode(input);
        if (ProtocolJson.read(input) instanceof ParseResult.Success<com.fasterxml.jackson.databind.JsonNode> json) {
            AllocateTrackRequest.parse(json.value());
        }
    }

    /** The same target for a few seconds of live fuzzing in the normal build (pom.xml, fuzz-* executions). */
    @FuzzTest(maxDuration = "9s")
    void briefly(byte[] input) {
        mediaFramesAndTrackRequests(input);
    }
}
