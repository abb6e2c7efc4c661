package dev.alloplace.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.transport.Delivery;
import org.junit.jupiter.api.Test;

class ChannelLayoutTest {

    @Test
    void channelCountPicksTheProtocol() {
        assertThat(ChannelLayout.forChannelCount(5)).contains(ChannelLayout.V3);
        assertThat(ChannelLayout.forChannelCount(6)).contains(ChannelLayout.V4);
        assertThat(ChannelLayout.forChannelCount(4)).isEmpty();
    }

    @Test
    void protocolFourPutsAudioFirstAndStateOnTwo() {
        ChannelLayout v4 = ChannelLayout.V4;
        assertThat(v4.roleOf(0)).contains(ChannelRole.AUDIO);
        assertThat(v4.roleOf(1)).contains(ChannelRole.COMMANDS);
        assertThat(v4.roleOf(2)).contains(ChannelRole.STATE_DIFFS);
        assertThat(v4.roleOf(3)).contains(ChannelRole.ASSETS);
        assertThat(v4.roleOf(4)).contains(ChannelRole.VIDEO);
        assertThat(v4.roleOf(5)).contains(ChannelRole.CLOCK);
        assertThat(v4.roleOf(6)).isEmpty();
    }

    @Test
    void protocolThreeSharesOneMediaChannel() {
        ChannelLayout v3 = ChannelLayout.V3;
        assertThat(v3.roleOf(0)).contains(ChannelRole.STATE_DIFFS);
        assertThat(v3.roleOf(2)).contains(ChannelRole.ASSETS);
        assertThat(v3.roleOf(3)).contains(ChannelRole.MEDIA);
        assertThat(v3.roleOf(4)).contains(ChannelRole.CLOCK);
        assertThat(v3.channelOf(ChannelRole.VIDEO)).isEqualTo(3);
        assertThat(v3.channelOf(ChannelRole.AUDIO)).isEqualTo(3);
    }

    @Test
    void onlyCommandsAndAssetsAreReliable() {
        for (ChannelRole role : ChannelRole.values()) {
            Delivery expected = role == ChannelRole.COMMANDS || role == ChannelRole.ASSETS
                    ? Delivery.RELIABLE : Delivery.UNRELIABLE;
            assertThat(ChannelLayout.V4.deliveryOf(role)).as(role.name()).isEqualTo(expected);
        }
    }
}
