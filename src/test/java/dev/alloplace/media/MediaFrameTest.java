package dev.alloplace.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MediaFrameTest {

    @Test
    void trackIdIsBigEndianUnsigned() {
        byte[] packet = {(byte) 0xFF, 0x00, 0x01, 0x02, 0x55};

        assertThat(MediaFrame.readTrackId(packet)).isEqualTo(0xFF000102L);
    }

    @Test
    void encodeThenDecodeRoundTrips() {
        MediaFrame frame = new MediaFrame(7, new byte[] {1, 2, 3});

        byte[] wire = frame.encode();

        assertThat(wire).containsExactly(0, 0, 0, 7, 1, 2, 3);
        MediaFrame.Decoded decoded = MediaFrame.decode(wire);
        assertThat(decoded).isInstanceOf(MediaFrame.Decoded.Ok.class);
        MediaFrame back = ((MediaFrame.Decoded.Ok) decoded).frame();
        assertThat(back.trackId()).isEqualTo(7);
        assertThat(back.payload()).containsExactly(1, 2, 3);
    }

    @Test
    void packetWithoutPayloadIsMalformed() {
        assertThat(MediaFrame.readTrackId(new byte[] {0, 0, 0, 1})).isEqualTo(-1);
        assertThat(MediaFrame.readTrackId(new byte[0])).isEqualTo(-1);
        assertThat(MediaFrame.readTrackId(null)).isEqualTo(-1);
        assertThat(MediaFrame.decode(new byte[] {0, 0, 1})).isInstanceOf(MediaFrame.Decoded.Malformed.class);
    }

    @Test
    void channelsFollowTheRecipientsLayout() {
        assertThat(MediaChannels.channelFor(TrackType.AUDIO, 4)).isEqualTo(OptionalInt.of(0));
        assertThat(MediaChannels.channelFor(TrackType.VIDEO, 4)).isEqualTo(OptionalInt.of(4));
        assertThat(MediaChannels.channelFor(TrackType.AUDIO, 3)).isEqualTo(OptionalInt.of(3));
        assertThat(MediaChannels.channelFor(TrackType.VIDEO, 3)).isEqualTo(OptionalInt.of(3));
        assertThat(MediaChannels.channelFor(TrackType.AUDIO, 2)).isEmpty();
        assertThat(MediaChannels.isMediaChannel(4, 4)).isTrue();
        assertThat(MediaChannels.isMediaChannel(3, 4)).isFalse();
        assertThat(MediaChannels.isMediaChannel(3, 3)).isTrue();
        assertThat(MediaChannels.isMediaChannel(0, 3)).isFalse();
    }
}
