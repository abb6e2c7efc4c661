package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.TestPlace;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Voice through the place: tracks, subscriptions and forwarding, in both protocol versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlaceMediaTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private TestPlace place;

    @BeforeEach
    void startPlace() throws Exception {
        place = TestPlace.start();
    }

    @AfterEach
    void stopPlace() {
        place.close();
    }

    private record Heard(ChannelRole role, byte[] bytes) {
    }

    private static byte[] packet(long track, int seq) {
        return ByteBuffer.allocate(4 + 60).putInt((int) track).putInt(seq).array();
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void onlyTheOwnersPacketsReachOnlyTheSubscribers(ChannelLayout listenerLayout) throws Exception {
        AlloClient speaker = place.join("speaker", ClientOptions.defaults("speaker"));
        AlloClient listener = place.join("listener", ClientOptions.defaults("listener").withLayout(listenerLayout));
        AlloClient bystander = place.join("bystander", ClientOptions.defaults("bystander"));
        AlloClient second = place.join("second", ClientOptions.defaults("second"));
        BlockingQueue<Heard> secondHeard = new LinkedBlockingQueue<>();
        second.onMedia((role, bytes) -> secondHeard.add(new Heard(role, bytes)));
        BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
        BlockingQueue<Heard> bystanderHeard = new LinkedBlockingQueue<>();
        listener.onMedia((role, bytes) -> heard.add(new Heard(role, bytes)));
        bystander.onMedia((role, bytes) -> bystanderHeard.add(new Heard(role, bytes)));

        ArrayNode allocated = speaker.request("place", Interaction.body("allocate_track", "audio", "opus",
                F.objectNode().put("sample_rate", 48000).put("channel_count", 1).put("channel_layout", "mono")))
                .get(5, TimeUnit.SECONDS);
        assertThat(allocated.get(1).asText()).isEqualTo("ok");
        long track = allocated.get(2).asLong();
        var seen = listener.awaitState(entities -> entities.containsKey(speaker.avatarId())
                && entities.get(speaker.avatarId()).path("components").has("live_media")).get(5, TimeUnit.SECONDS);
        assertThat(seen.get(speaker.avatarId()).path("components").path("live_media").path("track_id").asLong()).isEqualTo(track);
        ArrayNode again = speaker.request("place", Interaction.body("allocate_track", "audio", "opus", F.objectNode()))
                .get(5, TimeUnit.SECONDS);
        assertThat(again.toString()).isEqualTo("[\"allocate_track\",\"failed\",\"only one track allowed per entity\"]");

        ArrayNode subscribed = listener.request("place", Interaction.body("media_track", track, "subscribe")).get(5, TimeUnit.SECONDS);
        assertThat(subscribed.toString()).isEqualTo("[\"media_track\",\"ok\"," + track + "]");
        second.request("place", Interaction.body("media_track", track, "subscribe")).get(5, TimeUnit.SECONDS);
        bystander.sendMedia(ChannelRole.AUDIO, packet(track, 666));
        for (int i = 0; i < 5; i++) {
            speaker.sendMedia(ChannelRole.AUDIO, packet(track, i));
        }

        for (int i = 0; i < 5; i++) {
            Heard got = heard.poll(5, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got.role()).isEqualTo(listenerLayout == ChannelLayout.V3 ? ChannelRole.MEDIA : ChannelRole.AUDIO);
            assertThat(got.bytes()).isEqualTo(packet(track, i));
        }
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("the forged packet was not forwarded").isNull();
        assertThat(bystanderHeard).as("not subscribed, hears nothing").isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(secondHeard.poll(5, TimeUnit.SECONDS).bytes()).isEqualTo(packet(track, i));
        }
        second.request("place", Interaction.body("media_track", track, "unsubscribe")).get(5, TimeUnit.SECONDS);
        speaker.sendMedia(ChannelRole.AUDIO, packet(track, 5));
        assertThat(heard.poll(5, TimeUnit.SECONDS).bytes()).isEqualTo(packet(track, 5));
        assertThat(secondHeard.poll(300, TimeUnit.MILLISECONDS)).as("unsubscribed").isNull();

        speaker.disconnect().get(5, TimeUnit.SECONDS);
        ArrayNode gone = listener.request("place", Interaction.body("media_track", track, "subscribe")).get(5, TimeUnit.SECONDS);
        assertThat(gone.toString()).isEqualTo("[\"media_track\",\"failed\",\"invalid track id\"]");
    }
}
