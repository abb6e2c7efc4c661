package dev.alloplace.place;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.Inbox;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every place handler's answers, wrong bodies included, over the in-memory transport twin. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
@PlaceConfig(value = {"place.name=Handlers", "place.max_entities_per_agent=20", "place.request_timeout_ms=300"},
        inMemory = true)
class PlaceHandlersTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static String ask(TestPlace place, AlloClient client, Object... body) throws Exception {
        return place.ask(client, body).toString();
    }

    private static ObjectNode spec(String text) {
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", text);
        return spec;
    }

    @Test
    void unknownPlaceRequestsGetInvalidRequest(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        assertThat(ask(place, app, "teleport_everyone")).isEqualTo("[\"teleport_everyone\",\"error\",\"invalid request\"]");
    }

    @Test
    void spawnRefusesWrongShapesAndTooMuch(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        assertThat(ask(place, app, "spawn_entity", "not an object")).isEqualTo("[\"spawn_entity\",\"error\",\"invalid request\"]");
        ObjectNode badChildren = spec("x");
        badChildren.put("children", "nope");
        assertThat(ask(place, app, "spawn_entity", badChildren)).isEqualTo("[\"spawn_entity\",\"error\",\"children must be a list\"]");
        ObjectNode many = spec("x");
        ArrayNode children = many.putArray("children");
        for (int i = 0; i < 25; i++) {
            children.add(spec("child"));
        }
        assertThat(ask(place, app, "spawn_entity", many)).contains("at most 20 entities");
        ObjectNode media = spec("x");
        media.putObject("live_media").put("track_id", 1);
        assertThat(ask(place, app, "spawn_entity", media)).contains("live_media is managed by the place");
        int entities = place.onPlace(p -> p.world().entityCount());
        assertThat(entities).as("nothing half-applied: place + avatar").isEqualTo(2);
    }

    @Test
    void componentsWrappedUnderComponentsGetDefaultsToo(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        ObjectNode wrapped = F.objectNode();
        wrapped.putObject("components").putObject("text").put("string", "w");
        wrapped.putArray("children").addObject().putObject("components").putObject("text").put("string", "c");

        String root = place.ask(app, "spawn_entity", wrapped).get(1).asText();

        JsonNode entities = place.onPlace(p -> p.world().fullStateDocument().get("entities"));
        assertThat(entities.get(root).path("components").path("transform").path("matrix")).hasSize(16);
        int children = place.onPlace(p -> p.world().childrenOf(root).size());
        assertThat(children).isEqualTo(1);
    }

    @Test
    void removeEntityInBothModes(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        ObjectNode tree = spec("root");
        tree.putArray("children").add(spec("child"));
        String cascadeRoot = place.ask(app, "spawn_entity", tree).get(1).asText();
        String reparentRoot = place.ask(app, "spawn_entity", tree).get(1).asText();
        String orphan = place.onPlace(p -> p.world().childrenOf(reparentRoot).get(0));

        assertThat(ask(place, app, "remove_entity", cascadeRoot, "cascade")).isEqualTo("[\"remove_entity\",\"ok\"]");
        assertThat(ask(place, app, "remove_entity", reparentRoot, "reparent")).isEqualTo("[\"remove_entity\",\"ok\"]");
        assertThat(ask(place, app, "remove_entity", "nothing-here")).isEqualTo("[\"remove_entity\",\"failed\",\"no such entity\"]");
        assertThat(ask(place, app, "remove_entity", 42)).isEqualTo("[\"remove_entity\",\"failed\",\"invalid request\"]");

        int entities = place.onPlace(p -> p.world().entityCount());
        assertThat(entities).as("place, avatar, orphan").isEqualTo(3);
        assertThat(place.component(orphan, "relationships")).isEmpty();
    }

    @Test
    void changeComponentsValidatesEverythingBeforeChangingAnything(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        String id = place.ask(app, "spawn_entity", spec("a")).get(1).asText();
        ObjectNode good = F.objectNode();
        good.putObject("material").put("shader_name", "plain");

        assertThat(ask(place, app, "change_components", id, "add_or_change", "nope", "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"invalid request\"]");
        assertThat(ask(place, app, "change_components", id, "add_or_change", good, "remove", F.arrayNode().add(5)))
                .isEqualTo("[\"change_components\",\"error\",\"component names to remove must be strings\"]");
        assertThat(ask(place, app, "change_components", "ghost", "add_or_change", good, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"no such entity\"]");
        assertThat(place.component(id, "material")).as("nothing half-applied").isEmpty();

        assertThat(ask(place, app, "change_components", id, "add_or_change", good, "remove", F.arrayNode().add("text")))
                .isEqualTo("[\"change_components\",\"ok\"]");
        var components = place.onPlace(p -> p.world().entity(id).orElseThrow().components().keySet());
        assertThat(components).contains("material", "transform").doesNotContain("text");
    }

    /** The caps at their catalog minimums' scale: tens of kilobytes, weighed as the place weighs them. */
    @Test
    @PlaceConfig(value = {"place.max_world_bytes=80000", "place.max_agent_bytes=50000"}, inMemory = true)
    void spawnsAndChangesBeyondTheWorldsBudgetsAreRefusedAndChangeNothing(TestPlace place) throws Exception {
        AlloClient first = place.join("first");
        AlloClient second = place.join("second");
        String thing = place.ask(first, "spawn_entity", spec("x".repeat(30_000))).get(1).asText();

        assertThat(ask(place, first, "spawn_entity", spec("x".repeat(30_000))))
                .startsWith("[\"spawn_entity\",\"error\",\"an agent's entities may weigh at most 50000 bytes");
        ObjectNode bigger = F.objectNode();
        bigger.putObject("text").put("string", "x".repeat(49_900));
        assertThat(ask(place, first, "change_components", thing, "add_or_change", bigger, "remove", F.arrayNode()))
                .startsWith("[\"change_components\",\"error\",\"an agent's entities may weigh at most 50000 bytes");
        ObjectNode smaller = F.objectNode();
        smaller.putObject("text").put("string", "short now");
        assertThat(ask(place, first, "change_components", thing, "add_or_change", smaller, "remove", F.arrayNode()))
                .as("shrinking is always allowed").isEqualTo("[\"change_components\",\"ok\"]");
        assertThat(ask(place, second, "spawn_entity", spec("y".repeat(40_000)))).startsWith("[\"spawn_entity\",\"");
        AlloClient third = place.join("third");
        assertThat(ask(place, third, "spawn_entity", spec("z".repeat(40_000))))
                .isEqualTo("[\"spawn_entity\",\"error\",\"the place is full: its world may weigh at most 80000 bytes\"]");
        long weight = place.onPlace(p -> p.world().bytes());
        assertThat(weight).isLessThanOrEqualTo(80_000);
        int fullState = place.onPlace(p -> p.world().stateFor(0).json().length);
        assertThat(fullState).as("the full state a late joiner gets").isLessThan(80_100);
    }

    @Test
    void kickAgentAnswersForUnknownAgentsAndBadBodies(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        assertThat(ask(place, app, "kick_agent", "nobody")).isEqualTo("[\"kick_agent\",\"error\",\"agent not found\"]");
        assertThat(ask(place, app, "kick_agent")).isEqualTo("[\"kick_agent\",\"error\",\"invalid request\"]");
    }

    @Test
    @PlaceConfig(value = "place.request_timeout_ms=300", inMemory = true, manualClock = true)
    void unansweredRequestsTimeOutAndUnrequestedResponsesGoNowhere(TestPlace place) throws Exception {
        AlloClient asker = place.join("asker");
        AlloClient silent = place.join("silent");
        Inbox askerGot = place.inbox(asker);

        CompletableFuture<ArrayNode> pending = asker.request(silent.avatarId(), Interaction.body("hello"));
        place.caughtUp(asker);
        place.heartbeats(7); // 350 ms on the place's clock: past the request timeout
        ArrayNode answer = await("the place times the request out", pending);
        silent.send(new Interaction(InteractionType.RESPONSE, silent.avatarId(), asker.avatarId(), "made-up",
                Interaction.body("hello", "surprise")));

        assertThat(answer.toString()).isEqualTo("[\"hello\",\"error\",\"timeout\"]");
        assertThat(ask(place, asker, "list_agents")).contains("\"ok\"");
        place.caughtUp(silent, asker);
        assertThat(askerGot.received()).as("the unrequested response never reached the asker").isEmpty();
    }

    @Test
    void requestsLeaveTheClientInTheOrderTheyWereAskedFor(TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        CountDownLatch clientBusy = new CountDownLatch(1);
        app.awaitProbe(entities -> {
            try {
                return clientBusy.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        List<String> answered = new CopyOnWriteArrayList<>();
        CompletableFuture<ArrayNode> first = app.request("place", Interaction.body("spawn_entity", spec("first")))
                .whenComplete((body, error) -> answered.add("spawn_entity"));
        CompletableFuture<ArrayNode> second = app.request(app.avatarId(), "place", Interaction.body("list_agents"))
                .whenComplete((body, error) -> answered.add("list_agents"));
        clientBusy.countDown();
        await("the spawn's answer", first);
        await("the list's answer", second);

        assertThat(answered).as("the place answers one agent's requests in the order they arrive")
                .containsExactly("spawn_entity", "list_agents");
    }

    @Test
    void aLateJoinerAndAnAgentThatNeverAcksBothSeeTheWholePlace(TestPlace place) throws Exception {
        AlloClient builder = place.join("builder");
        for (int i = 0; i < 15; i++) {
            place.ask(builder, "spawn_entity", spec("e" + i));
        }
        AlloClient late = place.join("late");
        AlloClient neverAcks = place.join("quiet", ClientOptions.defaults("quiet").withIntentInterval(Duration.ZERO));
        int expected = place.onPlace(p -> p.world().entityCount());

        assertThat(place.mirrorOf(late, "every entity", entities -> entities.size() == expected)).hasSize(expected);
        assertThat(place.mirrorOf(neverAcks, "every entity", entities -> entities.size() == expected)).hasSize(expected);
        JsonNode server = place.onPlace(p -> p.world().fullStateDocument().get("entities"));
        var mirror = await("the late joiner's mirror", late.snapshot());
        server.fields().forEachRemaining(e -> {
            if (!"place".equals(e.getKey())) {
                assertThat(mirror.get(e.getKey())).isEqualTo(e.getValue());
            }
        });
    }
}
