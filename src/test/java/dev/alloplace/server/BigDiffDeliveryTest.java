package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.RecordingTransport;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A merge over {@code place.reliable_diff_bytes} goes as unreliable fragments, like any merge, to
 * a client that keeps acknowledging; to one that has acknowledged none of its last three it goes
 * reliably, and then nothing more until it acknowledges; the client is back to unreliable merges
 * once it does. Far over the threshold a merge is reliable for anyone.
 */
class BigDiffDeliveryTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int THRESHOLD = 2_048;

    private RecordingTransport transport;

    private TestPlace start() throws Exception {
        return TestPlace.builder().clock(new ManualClock()).set("place.reliable_diff_bytes", THRESHOLD)
                .transports(settings -> transport = new RecordingTransport(new EnetTransport(settings))).start();
    }

    /** The app changes its entity's blob to {@code size} characters of {@code round}; the heartbeat sends it. */
    private static void change(TestPlace place, AlloClient app, String id, int round, int size) throws Exception {
        ObjectNode changes = F.objectNode();
        changes.putObject("blob").put("text", String.valueOf((char) ('a' + round % 26)).repeat(size));
        assertThat(place.ask(app, "change_components", id, "add_or_change", changes, "remove", F.arrayNode()).toString())
                .isEqualTo("[\"change_components\",\"ok\"]");
        place.heartbeats(1);
    }

    private static String spawnBlob(TestPlace place, AlloClient app) throws Exception {
        ObjectNode spec = F.objectNode();
        spec.putObject("blob").put("text", "");
        var answer = place.ask(app, "spawn_entity", spec);
        assertThat(answer.path(0).asText()).isEqualTo("spawn_entity");
        return answer.get(1).asText();
    }

    private static void sees(TestPlace place, AlloClient watcher, String id, int round) throws Exception {
        char expected = (char) ('a' + round % 26);
        await("the watcher's mirror has round " + round, watcher.awaitProbe(entities -> {
            var entity = entities.get(id);
            String text = entity == null ? "" : entity.path("components").path("blob").path("text").asText("");
            return !text.isEmpty() && text.charAt(0) == expected ? true : null;
        }));
    }

    /** The watcher's intent acknowledges what it has (once it has a world), and the place has read it. */
    private static void acknowledges(TestPlace place, AlloClient watcher) throws Exception {
        Waits.until("the watcher has a world", Waits.PATIENCE, Duration.ofMillis(2),
                () -> await("the watcher's revision", watcher.revision()) > 0);
        long revision = await("the watcher's revision", watcher.revision());
        watcher.sendIntentNow();
        place.untilOnPlace("the place has the watcher's acknowledgement of " + revision, p -> p.agents().stream()
                .anyMatch(agent -> agent.ackRevision() >= revision && agent.avatarId().equals(watcher.avatarId())));
    }

    private static ConnectionId connectionOf(TestPlace place, AlloClient client) throws Exception {
        return place.onPlace(p -> p.agents().stream().filter(agent -> agent.avatarId().equals(client.avatarId()))
                .findFirst().orElseThrow().connection());
    }

    /** An app with an entity, a watcher that acknowledges only when told, and where the place sends the watcher's state. */
    private record Scene(AlloClient app, AlloClient watcher, String entity, ConnectionId toWatcher, int diffs) {
    }

    private static Scene scene(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        AlloClient watcher = place.join("watcher", ClientOptions.defaults("watcher").withIntentInterval(Duration.ZERO));
        String id = spawnBlob(place, app);
        place.heartbeats(1);
        acknowledges(place, watcher);
        return new Scene(app, watcher, id, connectionOf(place, watcher), watcher.layout().stateDiffs());
    }

    /** How the merges over the threshold went to the watcher, in order. */
    private List<Delivery> bigDeliveries(Scene scene) {
        return transport.sent(scene.toWatcher(), scene.diffs()).stream().filter(s -> s.bytes() > THRESHOLD)
                .map(RecordingTransport.Sent::delivery).toList();
    }

    @Test
    void aBigMergeIsUnreliableWhileTheClientKeepsUpAndReliableOnceItStopsAcknowledging() throws Exception {
        try (TestPlace place = start()) {
            Scene scene = scene(place);
            AlloClient app = scene.app();
            AlloClient watcher = scene.watcher();
            String id = scene.entity();

            for (int round = 1; round <= 4; round++) {
                change(place, app, id, round, 3 * THRESHOLD);
                sees(place, watcher, id, round);
                acknowledges(place, watcher);
            }
            assertThat(bigDeliveries(scene)).as("keeping up")
                    .containsExactly(Delivery.UNRELIABLE_FRAGMENTED, Delivery.UNRELIABLE_FRAGMENTED,
                            Delivery.UNRELIABLE_FRAGMENTED, Delivery.UNRELIABLE_FRAGMENTED);

            for (int round = 5; round <= 10; round++) {
                change(place, app, id, round, 3 * THRESHOLD);
            }
            assertThat(bigDeliveries(scene).subList(4, bigDeliveries(scene).size()))
                    .as("three merges unacknowledged, then one reliably and nothing until it is acknowledged")
                    .containsExactly(Delivery.UNRELIABLE_FRAGMENTED, Delivery.UNRELIABLE_FRAGMENTED,
                            Delivery.UNRELIABLE_FRAGMENTED, Delivery.RELIABLE);

            sees(place, watcher, id, 8);
            acknowledges(place, watcher);
            change(place, app, id, 11, 3 * THRESHOLD);
            sees(place, watcher, id, 11);
            List<Delivery> all = bigDeliveries(scene);
            assertThat(all.get(all.size() - 1)).as("acknowledged again: back to unreliable")
                    .isEqualTo(Delivery.UNRELIABLE_FRAGMENTED);
        }
    }

    @Test
    void aMergeOverFourTimesTheThresholdIsReliableEvenToAClientThatKeepsUp() throws Exception {
        try (TestPlace place = start()) {
            Scene scene = scene(place);
            AlloClient watcher = scene.watcher();

            change(place, scene.app(), scene.entity(), 1, 5 * THRESHOLD);
            sees(place, watcher, scene.entity(), 1);

            assertThat(bigDeliveries(scene)).containsExactly(Delivery.RELIABLE);
        }
    }
}
