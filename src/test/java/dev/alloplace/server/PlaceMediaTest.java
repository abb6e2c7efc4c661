package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Voice through the place: tracks, subscriptions and forwarding, in both protocol versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceMediaTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private record Heard(ChannelRole role, byte[] bytes) {
    }

    private static Heard next(BlockingQueue<Heard> heard, String what) throws InterruptedException {
        Heard got = heard.poll(Waits.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (got == null) {
            throw new AssertionError("waited " + Waits.PATIENCE.toMillis() + " ms until " + what + " arrived");
        }
        return got;
    }

    private static byte[] packet(long track, int seq) {
        return ByteBuffer.allocate(4 + 60).putInt((int) track).putInt(seq).array();
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void onlyTheOwnersPacketsReachOnlyTheSubscribers(ChannelLayout listenerLayout, TestPlace place) throws Exception {
        AlloClient speaker = place.join("speaker");
        AlloClient listener = place.join("listener", ClientOptions.defaults("listener").withLayout(listenerLayout));
        AlloClient bystander = place.join("bystander");
        AlloClient second = place.join("second");
        BlockingQueue<Heard> secondHeard = new LinkedBlockingQueue<>();
        second.onMedia((role, bytes) -> secondHeard.add(new Heard(role, bytes)));
        BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
        BlockingQueue<Heard> bystanderHeard = new LinkedBlockingQueue<>();
        listener.onMedia((role, bytes) -> heard.add(new Heard(role, bytes)));
        bystander.onMedia((role, bytes) -> bystanderHeard.add(new Heard(role, bytes)));

        ArrayNode allocated = place.ask(speaker, "allocate_track", "audio", "opus",
                F.objectNode().put("sample_rate", 48000).put("channel_count", 1).put("channel_layout", "mono"));
        assertThat(allocated.get(1).asText()).isEqualTo("ok");
        long track = allocated.get(2).asLong();
        var seen = place.mirrorOf(listener, "the speaker's live_media", entities -> entities.containsKey(speaker.avatarId())
                && entities.get(speaker.avatarId()).path("components").has("live_media"));
        assertThat(seen.get(speaker.avatarId()).path("components").path("live_media").path("track_id").asLong()).isEqualTo(track);
        ArrayNode again = place.ask(speaker, "allocate_track", "audio", "opus", F.objectNode());
        assertThat(again.toString()).isEqualTo("[\"allocate_track\",\"failed\",\"only one track allowed per entity\"]");

        ArrayNode subscribed = place.ask(listener, "media_track", track, "subscribe");
        assertThat(subscribed.toString()).isEqualTo("[\"media_track\",\"ok\"," + track + "]");
        place.ask(second, "media_track", track, "subscribe");
        bystander.sendMedia(ChannelRole.AUDIO, packet(track, 666));
        for (int i = 0; i < 5; i++) {
            speaker.sendMedia(ChannelRole.AUDIO, packet(track, i));
        }

        for (int i = 0; i < 5; i++) {
            Heard got = next(heard, "the listener's packet " + i);
            assertThat(got.role()).isEqualTo(listenerLayout == ChannelLayout.V3 ? ChannelRole.MEDIA : ChannelRole.AUDIO);
            assertThat(got.bytes()).isEqualTo(packet(track, i));
        }
        // Forwarded packets leave in the same flush as, and before, the answer to a later round trip.
        place.caughtUp(bystander, speaker, listener);
        assertThat(heard).as("the forged packet was not forwarded").isEmpty();
        assertThat(bystanderHeard).as("not subscribed, hears nothing").isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(next(secondHeard, "the second's packet " + i).bytes()).isEqualTo(packet(track, i));
        }
        place.ask(second, "media_track", track, "unsubscribe");
        speaker.sendMedia(ChannelRole.AUDIO, packet(track, 5));
        assertThat(next(heard, "the listener's packet 5").bytes()).isEqualTo(packet(track, 5));
        place.caughtUp(speaker, second);
        assertThat(secondHeard).as("unsubscribed").isEmpty();

        place.leave(speaker);
        ArrayNode gone = place.ask(listener, "media_track", track, "subscribe");
        assertThat(gone.toString()).isEqualTo("[\"media_track\",\"failed\",\"invalid track id\"]");
    }
}
