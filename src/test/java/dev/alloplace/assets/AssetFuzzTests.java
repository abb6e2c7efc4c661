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
}
