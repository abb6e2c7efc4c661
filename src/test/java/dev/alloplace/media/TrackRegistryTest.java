package dev.alloplace.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TrackRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Entities of a pretend place: id → owner agent, plus which have live_media. */
    private static final class FakeEntities implements MediaEntities {
        final Map<String, String> owners = new HashMap<>();
        final Set<String> withLiveMedia = new HashSet<>();

        @Override
        public Optional<String> ownerOf(String entityId) {
            return Optional.ofNullable(owners.get(entityId));
        }

        @Override
        public boolean hasLiveMedia(String entityId) {
            return withLiveMedia.contains(entityId);
        }
    }

    private final FakeEntities entities = new FakeEntities();
    private final TrackRegistry registry = new TrackRegistry(MediaSettings.defaults());

    TrackRegistryTest() {
        entities.owners.put("alice-head", "alice");
        entities.owners.put("alice-screen", "alice");
        entities.owners.put("bob-head", "bob");
        entities.owners.put("place", "place");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long allocateAudio(String agent, String entity) {
        AllocateResult result = registry.allocate(agent, entity,
                json("[\"allocate_track\",\"audio\",\"opus\",{\"sample_rate\":48000,\"channel_count\":1,\"channel_layout\":\"mono\"}]"),
                entities);
        assertThat(result).isInstanceOf(AllocateResult.Allocated.class);
        entities.withLiveMedia.add(entity);
        return ((AllocateResult.Allocated) result).trackId();
    }

    private List<String> recipientsOf(String sender, byte[] packet) {
        MediaRoute route = registry.route(sender, packet);
        assertThat(route).isInstanceOf(MediaRoute.Forward.class);
        return new ArrayList<>(((MediaRoute.Forward) route).recipients());
    }

    private static byte[] packet(long trackId, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        return new MediaFrame(trackId, payload).encode();
    }

    @Test
    void modernAudioAllocationStoresLiveMediaAndAnswersWithTheId() {
        AllocateResult result = registry.allocate("alice", "alice-head",
                json("[\"allocate_track\",\"audio\",\"opus\",{\"sample_rate\":48000,\"channel_count\":1,\"channel_layout\":\"mono\"}]"),
                entities);

        assertThat(result).isInstanceOf(AllocateResult.Allocated.class);
        AllocateResult.Allocated ok = (AllocateResult.Allocated) result;
        assertThat(ok.trackId()).isEqualTo(1);
        assertThat(ok.entityId()).isEqualTo("alice-head");
        assertThat(ok.responseBody()).isEqualTo(json("[\"allocate_track\",\"ok\",1]"));
        assertThat(ok.liveMedia()).isEqualTo(json("{\"track_id\":1,\"type\":\"audio\",\"format\":\"opus\","
                + "\"metadata\":{\"sample_rate\":48000,\"channel_count\":1,\"channel_layout\":\"mono\"}}"));
    }

    @Test
    void modernVideoAllocationKeepsWidthAndHeight() {
        AllocateResult result = registry.allocate("alice", "alice-screen",
                json("[\"allocate_track\",\"video\",\"h264\",{\"width\":1024,\"height\":768}]"), entities);

        AllocateResult.Allocated ok = (AllocateResult.Allocated) result;
        assertThat(ok.liveMedia()).isEqualTo(json("{\"track_id\":1,\"type\":\"video\",\"format\":\"h264\","
                + "\"metadata\":{\"width\":1024,\"height\":768}}"));
    }

    @Test
    void legacyAudioAllocationAlsoCarriesTheLegacyFields() {
        AllocateResult result = registry.allocate("alice", "alice-head",
                json("[\"allocate_track\",\"audio\",48000,1,\"opus\"]"), entities);

        AllocateResult.Allocated ok = (AllocateResult.Allocated) result;
        assertThat(ok.responseBody()).isEqualTo(json("[\"allocate_track\",\"ok\",1]"));
        assertThat(ok.liveMedia()).isEqualTo(json("{\"track_id\":1,\"type\":\"audio\",\"format\":\"opus\","
                + "\"metadata\":{\"sample_rate\":48000,\"channel_count\":1,\"channel_layout\":\"mono\"},"
                + "\"sample_rate\":48000,\"channel_count\":1}"));
    }

    @Test
    void trackIdsCountUpGloballyAndAreNeverReused() {
        long first = allocateAudio("alice", "alice-head");
        long second = allocateAudio("bob", "bob-head");
        registry.removeEntity("alice-head");
        entities.withLiveMedia.remove("alice-head");
        long third = allocateAudio("alice", "alice-head");

        assertThat(List.of(first, second, third)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void secondTrackOnAnEntityIsRefusedWithTheReferenceText() {
        allocateAudio("alice", "alice-head");

        AllocateResult again = registry.allocate("alice", "alice-head",
                json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);

        assertThat(again).isInstanceOf(AllocateResult.Refused.class);
        assertThat(again.responseBody())
                .isEqualTo(json("[\"allocate_track\",\"failed\",\"only one track allowed per entity\"]"));
    }

    @Test
    void entityThatAlreadyCarriesLiveMediaIsRefused() {
        entities.withLiveMedia.add("alice-screen");

        AllocateResult result = registry.allocate("alice", "alice-screen",
                json("[\"allocate_track\",\"video\",\"mjpeg\",{\"width\":64,\"height\":64}]"), entities);

        assertThat(result.responseBody().get(2).asText()).isEqualTo(TrackRegistry.ONE_TRACK_PER_ENTITY);
    }

    @Test
    void unknownOrForeignEntitiesAreRefused() {
        AllocateResult unknown = registry.allocate("alice", "ghost", json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);
        AllocateResult foreign = registry.allocate("alice", "bob-head", json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);
        AllocateResult placeOwned = registry.allocate("alice", "place", json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);

        assertThat(unknown.responseBody()).isEqualTo(json("[\"allocate_track\",\"failed\",\"no such entity: ghost\"]"));
        assertThat(foreign.responseBody()).isEqualTo(json("[\"allocate_track\",\"failed\",\"entity bob-head is not owned by you\"]"));
        assertThat(placeOwned).isInstanceOf(AllocateResult.Refused.class);
        assertThat(registry.relayStats().liveTracks()).isZero();
    }

    @Test
    void badShapesAndFormatsAreRefusedWithAClearReason() {
        Map<String, String> cases = Map.of(
                "[\"allocate_track\",\"audio\",\"mp3\",{}]", "unsupported audio format 'mp3'",
                "[\"allocate_track\",\"smell\",\"opus\",{}]", "unknown track type 'smell' (expected \"audio\" or \"video\")",
                "[\"allocate_track\",\"video\",\"h264\",{\"width\":640}]", "video metadata 'height' must be a positive integer",
                "[\"allocate_track\",\"video\",\"mjpeg\",{\"width\":-3,\"height\":2}]", "video metadata 'width' must be a positive integer",
                "[\"allocate_track\",\"audio\",\"opus\",[1,2]]", "track metadata must be an object",
                "[\"allocate_track\",\"audio\",48000,1]", "legacy form is [\"allocate_track\", \"audio\", sample_rate, channel_count, \"opus\"]",
                "[\"allocate_track\",\"audio\",48000,7,\"opus\"]", "channel count must be 1 or 2",
                "[\"allocate_track\",\"audio\",-5,1,\"opus\"]", "sample rate must be a positive integer",
                "[\"allocate_track\"]", "expected [\"allocate_track\", type, format, {metadata}]");

        cases.forEach((body, reason) -> {
            AllocateResult result = registry.allocate("alice", "alice-head", json(body), entities);
            assertThat(result).as(body).isInstanceOf(AllocateResult.Refused.class);
            assertThat(((AllocateResult.Refused) result).reason()).as(body).isEqualTo(reason);
        });
        assertThat(registry.relayStats().liveTracks()).isZero();
    }

    @Test
    void onlySubscribersReceiveTheUnchangedBytes() {
        long track = allocateAudio("alice", "alice-head");
        assertThat(registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"subscribe\"]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"ok\"," + track + "]"));
        registry.mediaTrack("carol", json("[\"media_track\"," + track + ",\"subscribe\"]"));
        byte[] packet = packet(track, 120);
        byte[] original = packet.clone();

        List<String> recipients = recipientsOf("alice", packet);

        assertThat(recipients).containsExactly("bob", "carol").doesNotContain("dave", "alice");
        assertThat(packet).isEqualTo(original);
        TrackStats stats = registry.trackStats().get(0);
        assertThat(stats.packets()).isEqualTo(1);
        assertThat(stats.bytes()).isEqualTo(124);
        assertThat(stats.forwarded()).isEqualTo(2);
    }

    @Test
    void subscribingTwiceDeliversOnce() {
        long track = allocateAudio("alice", "alice-head");
        registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"subscribe\"]"));
        registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"subscribe\"]"));

        assertThat(recipientsOf("alice", packet(track, 10))).containsExactly("bob");
    }

    @Test
    void frameFromSomeoneOtherThanTheOwnerIsDroppedAndCounted() {
        long track = allocateAudio("alice", "alice-head");
        registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"subscribe\"]"));

        MediaRoute route = registry.route("mallory", packet(track, 50));

        assertThat(route).isEqualTo(new MediaRoute.Dropped(MediaRoute.DropReason.NOT_OWNER));
        assertThat(registry.relayStats().notOwnerDrops()).isEqualTo(1);
        assertThat(registry.trackStats().get(0).drops()).isEqualTo(1);
        assertThat(registry.trackStats().get(0).packets()).isZero();
    }

    @Test
    void malformedUnknownAndOversizedPacketsAreDropped() {
        TrackRegistry small = new TrackRegistry(new MediaSettings(4, 64));
        entities.owners.put("e", "alice");
        AllocateResult.Allocated ok = (AllocateResult.Allocated) small.allocate("alice", "e",
                json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);

        assertThat(small.route("alice", new byte[] {0, 0, 0, 1})).isEqualTo(new MediaRoute.Dropped(MediaRoute.DropReason.MALFORMED));
        assertThat(small.route("alice", packet(99, 10))).isEqualTo(new MediaRoute.Dropped(MediaRoute.DropReason.UNKNOWN_TRACK));
        assertThat(small.route("alice", packet(ok.trackId(), 61))).isEqualTo(new MediaRoute.Dropped(MediaRoute.DropReason.TOO_LARGE));
        assertThat(small.route("alice", packet(ok.trackId(), 60))).isInstanceOf(MediaRoute.Forward.class);
        RelayStats stats = small.relayStats();
        assertThat(List.of(stats.malformedDrops(), stats.unknownTrackDrops(), stats.tooLargeDrops())).containsExactly(1L, 1L, 1L);
    }

    @Test
    void unsubscribeStopsForwarding() {
        long track = allocateAudio("alice", "alice-head");
        registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"subscribe\"]"));
        registry.mediaTrack("carol", json("[\"media_track\"," + track + ",\"subscribe\"]"));

        MediaTrackResult result = registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"unsubscribe\"]"));

        assertThat(result.ok()).isTrue();
        assertThat(recipientsOf("alice", packet(track, 10))).containsExactly("carol");
    }

    @Test
    void leavingSubscriberIsRemovedFromEveryTrack() {
        long aliceTrack = allocateAudio("alice", "alice-head");
        long bobTrack = allocateAudio("bob", "bob-head");
        registry.mediaTrack("carol", json("[\"media_track\"," + aliceTrack + ",\"subscribe\"]"));
        registry.mediaTrack("carol", json("[\"media_track\"," + bobTrack + ",\"subscribe\"]"));
        registry.mediaTrack("bob", json("[\"media_track\"," + aliceTrack + ",\"subscribe\"]"));

        assertThat(registry.removeAgent("carol")).isEmpty();

        assertThat(recipientsOf("alice", packet(aliceTrack, 10))).containsExactly("bob");
        assertThat(recipientsOf("bob", packet(bobTrack, 10))).isEmpty();
    }

    @Test
    void leavingOwnerEndsItsTracks() {
        long aliceTrack = allocateAudio("alice", "alice-head");
        registry.mediaTrack("bob", json("[\"media_track\"," + aliceTrack + ",\"subscribe\"]"));

        List<TrackStats> ended = registry.removeAgent("alice");

        assertThat(ended).extracting(TrackStats::trackId).containsExactly(aliceTrack);
        assertThat(registry.route("alice", packet(aliceTrack, 10)))
                .isEqualTo(new MediaRoute.Dropped(MediaRoute.DropReason.UNKNOWN_TRACK));
        assertThat(registry.mediaTrack("bob", json("[\"media_track\"," + aliceTrack + ",\"subscribe\"]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"failed\",\"invalid track id\"]"));
    }

    @Test
    void removedEntityTakesItsTrackAlong() {
        long track = allocateAudio("alice", "alice-head");

        assertThat(registry.removeEntity("alice-head")).map(TrackStats::trackId).contains(track);
        assertThat(registry.removeEntity("alice-head")).isEmpty();
        assertThat(registry.trackOf("alice-head")).isEmpty();
        assertThat(registry.route("alice", packet(track, 10))).isInstanceOf(MediaRoute.Dropped.class);
    }

    @Test
    void mediaTrackErrorsMatchTheReference() {
        long track = allocateAudio("alice", "alice-head");

        assertThat(registry.mediaTrack("bob", json("[\"media_track\",\"1\",\"subscribe\"]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"failed\",\"missing id or verb\"]"));
        assertThat(registry.mediaTrack("bob", json("[\"media_track\"," + track + "]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"failed\",\"missing id or verb\"]"));
        assertThat(registry.mediaTrack("bob", json("[\"media_track\",42,\"subscribe\"]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"failed\",\"invalid track id\"]"));
        assertThat(registry.mediaTrack("bob", json("[\"media_track\"," + track + ",\"listen\"]")).responseBody())
                .isEqualTo(json("[\"media_track\",\"failed\",\"incorrect verb\"]"));
        assertThat(recipientsOf("alice", packet(track, 10))).isEmpty();
    }

    @Test
    void perAgentTrackLimitIsEnforced() {
        TrackRegistry limited = new TrackRegistry(new MediaSettings(1, 1024));

        AllocateResult first = limited.allocate("alice", "alice-head", json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);
        AllocateResult second = limited.allocate("alice", "alice-screen", json("[\"allocate_track\",\"audio\",\"opus\",{}]"), entities);

        assertThat(first).isInstanceOf(AllocateResult.Allocated.class);
        assertThat(second.responseBody().get(2).asText()).startsWith("too many tracks");
    }
}
