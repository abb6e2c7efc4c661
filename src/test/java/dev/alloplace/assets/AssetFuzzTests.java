package dev.alloplace.assets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Asset frames: strict lengths, validated headers, never an exception. */
class AssetFuzzTests {

    @FuzzTest(maxDuration = "2h")
    void assetFrames(byte[] frame) {
        AssetMessage.Parsed parsed = AssetMessage.decode(frame);
        if (parsed instanceof AssetMessage.Parsed.Ok ok) {
            ok.message().encode();
        }
    }

    /** The same target for a few seconds of live fuzzing in the normal build (pom.xml, fuzz-* executions). */
    @FuzzTest(maxDuration = "9s")
    void briefly(byte[] frame) {
        assetFrames(frame);
    }
}
