package dev.alloplace.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssetFrameTest {

    private static final AssetId ID = AssetId.of(new byte[] {1, 2, 3});

    @Test
    void everyMessageRoundTrips() {
        assertThat(AssetMessage.decode(new AssetMessage.Request(ID, 5, 10, Optional.of("abc")).encode()))
                .isEqualTo(new AssetMessage.Parsed.Ok(new AssetMessage.Request(ID, 5, 10, Optional.of("abc"))));
        AssetMessage.Parsed data = AssetMessage.decode(new AssetMessage.Data(ID, 1, 3, new byte[] {2, 3}).encode());
        assertThat(((AssetMessage.Data) ((AssetMessage.Parsed.Ok) data).message()).payload()).containsExactly(2, 3);
        assertThat(AssetMessage.decode(new AssetMessage.Failure(ID.toString(), "nope", 1).encode()))
                .isEqualTo(new AssetMessage.Parsed.Ok(new AssetMessage.Failure(ID.toString(), "nope", 1)));
    }

    @Test
    void lengthsAreCheckedStrictly() {
        assertThat(AssetFrame.decode(new byte[] {0, 1, 0})).isInstanceOf(AssetFrame.Decoded.Malformed.class);
        assertThat(AssetFrame.decode(new byte[] {0, 1, 0, 9, '{', '}'})).isInstanceOf(AssetFrame.Decoded.Malformed.class);
        assertThat(AssetFrame.decode(new byte[] {0, 1, 0, 2, '{', '}', 7})).as("payload on a request")
                .isInstanceOf(AssetFrame.Decoded.Malformed.class);
        byte[] lying = new AssetMessage.Data(ID, 0, 2, new byte[] {1, 2}).encode();
        byte[] shorter = java.util.Arrays.copyOf(lying, lying.length - 1);
        assertThat(AssetMessage.decode(shorter)).isInstanceOf(AssetMessage.Parsed.Rejected.class);
    }

    @Test
    void dataPastTheEndGetsTheReferenceError() {
        AssetMessage.Parsed parsed = AssetMessage.decode(new AssetMessage.Data(ID, 2, 3, new byte[] {1, 2}).encode());
        assertThat(((AssetMessage.Parsed.Rejected) parsed).reply().reason()).isEqualTo("offset+length > total_size");
    }
}
