package dev.alloplace.place;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.state.StateSettings;
import dev.alloplace.transport.InMemoryNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every place handler's answers, wrong bodies included, over the in-memory transport twin. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlaceHandlersTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private Place place;
    private AlloClientHost clients;
    private InetSocketAddress address;

    @BeforeEach
    void start() {
        start(PlaceSettings.defaults().toBuilder().name("Handlers").maxEntitiesPerAgent(20)
                .requestTimeout(Duration.ofMillis(300)).build());
    }

    private void start(PlaceSettings settings) {
        InMemoryNetwork network = new InMemoryNetwork();
        place = new Place(settings, StateSettings.defaults(), network.host(), new SimpleMeterRegistry(), List.of(),
                System::nanoTime);
        address = place.start().join();
        clients = AlloClientHost.start(network.host());
    }

    @AfterEach
    void stop() {
        clients.close();
        place.stop(Duration.ZERO).join();
    }

    private AlloClient join(String name) throws Exception {
        AlloClient client = clients.connect(address, ClientOptions.defaults(name)).get(5, TimeUnit.SECONDS);
        client.announce().get(5, TimeUnit.SECONDS);
        return client;
    }

    private static String ask(AlloClient client, Object... body) throws Exception {
        return client.request("place", Interaction.body(body)).get(5, TimeUnit.SECONDS).toString();
    }

    private static ObjectNode spec(String text) {
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", text);
        return spec;
    }

    @Test
    void unknownPlaceRequestsGetInvalidRequest() throws Exception {
        AlloClient app = join("app");
        assertThat(ask(app, "teleport_everyone")).isEqualTo("[\"teleport_everyone\",\"error\",\"invalid request\"]");
    }

    @Test
    void spawnRefusesWrongShapesAndTooMuch() throws Exception {
        AlloClient app = join("app");
        assertThat(ask(app, "spawn_entity", "not an object")).isEqualTo("[\"spawn_entity\",\"error\",\"invalid request\"]");
        ObjectNode badChildren = spec("x");
        badChildren.put("children", "nope");
        assertThat(ask(app, "spawn_entity", badChildren)).isEqualTo("[\"spawn_entity\",\"error\",\"children must be a list\"]");
        ObjectNode many = spec("x");
        ArrayNode children = many.putArray("children");
        for (int i = 0; i < 25; i++) {
            children.add(spec("child"));
        }
        assertThat(ask(app, "spawn_entity", many)).contains("at most 20 entities");
        ObjectNode media = spec("x");
        media.putObject("live_media").put("track_id", 1);
        assertThat(ask(app, "spawn_entity", media)).contains("live_media is managed by the place");
        assertThat(place.call(p -> p.world().entityCount()).join()).as("nothing half-applied: place + avatar").isEqualTo(2);
    }

    @Test
    void componentsWrappedUnderComponentsGetDefaultsToo() throws Exception {
        AlloClient app = join("app");
        ObjectNode wrapped = F.objectNode();
        wrapped.putObject("components").putObject("text").put("string", "w");
        wrapped.putArray("children").addObject().putObject("components").putObject("text").put("string", "c");

        String root = app.request("place", Interaction.body("spawn_entity", wrapped)).get(5, TimeUnit.SECONDS).get(1).asText();

        var entities = place.call(p -> p.world().fullStateDocument().get("entities")).join();
        assertThat(entities.get(root).path("components").path("transform").path("matrix")).hasSize(16);
        assertThat(place.call(p -> p.world().childrenOf(root).size()).join()).isEqualTo(1);
    }

    @Test
    void removeEntityInBothModes() throws Exception {
        AlloClient app = join("app");
        ObjectNode tree = spec("root");
        tree.putArray("children").add(spec("child"));
        String cascadeRoot = app.request("place", Interaction.body("spawn_entity", tree)).get(5, TimeUnit.SECONDS).get(1).asText();
        String reparentRoot = app.request("place", Interaction.body("spawn_entity", tree)).get(5, TimeUnit.SECONDS).get(1).asText();
        String orphan = place.call(p -> p.world().childrenOf(reparentRoot).get(0)).join();

        assertThat(ask(app, "remove_entity", cascadeRoot, "cascade")).isEqualTo("[\"remove_entity\",\"ok\"]");
        assertThat(ask(app, "remove_entity", reparentRoot, "reparent")).isEqualTo("[\"remove_entity\",\"ok\"]");
        assertThat(ask(app, "remove_entity", "nothing-here")).isEqualTo("[\"remove_entity\",\"failed\",\"no such entity\"]");
        assertThat(ask(app, "remove_entity", 42)).isEqualTo("[\"remove_entity\",\"failed\",\"invalid request\"]");

        assertThat(place.call(p -> p.world().entityCount()).join()).as("place, avatar, orphan").isEqualTo(3);
        assertThat(place.call(p -> p.world().entity(orphan).orElseThrow().components().containsKey("relationships")).join())
                .isFalse();
    }

    @Test
    void changeComponentsValidatesEverythingBeforeChangingAnything() throws Exception {
        AlloClient app = join("app");
        String id = app.request("place", Interaction.body("spawn_entity", spec("a"))).get(5, TimeUnit.SECONDS).get(1).asText();
        ObjectNode good = F.objectNode();
        good.putObject("material").put("shader_name", "plain");

        assertThat(ask(app, "change_components", id, "add_or_change", "nope", "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"invalid request\"]");
        assertThat(ask(app, "change_components", id, "add_or_change", good, "remove", F.arrayNode().add(5)))
                .isEqualTo("[\"change_components\",\"error\",\"component names to remove must be strings\"]");
        assertThat(ask(app, "change_components", "ghost", "add_or_change", good, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"no such entity\"]");
        assertThat(place.call(p -> p.world().entity(id).orElseThrow().components().containsKey("material")).join())
                .as("nothing half-applied").isFalse();

        assertThat(ask(app, "change_components", id, "add_or_change", good, "remove", F.arrayNode().add("text")))
                .isEqualTo("[\"change_components\",\"ok\"]");
        var components = place.call(p -> p.world().entity(id).orElseThrow().components().keySet()).join();
        assertThat(components).contains("material", "transform").doesNotContain("text");
    }

    @Test
    void spawnsAndChangesBeyondTheWorldsBudgetsAreRefusedAndChangeNothing() throws Exception {
        stop();
        start(PlaceSettings.defaults().toBuilder().worldLimits(new WorldLimits(8_000, 5_000)).build());
        AlloClient first = join("first");
        AlloClient second = join("second");
        String thing = first.request("place", Interaction.body("spawn_entity", spec("x".repeat(3_000))))
                .get(5, TimeUnit.SECONDS).get(1).asText();

        assertThat(ask(first, "spawn_entity", spec("x".repeat(3_000))))
                .startsWith("[\"spawn_entity\",\"error\",\"an agent's entities may weigh at most 5000 bytes");
        ObjectNode bigger = F.objectNode();
        bigger.putObject("text").put("string", "x".repeat(4_900));
        assertThat(ask(first, "change_components", thing, "add_or_change", bigger, "remove", F.arrayNode()))
                .startsWith("[\"change_components\",\"error\",\"an agent's entities may weigh at most 5000 bytes");
        ObjectNode smaller = F.objectNode();
        smaller.putObject("text").put("string", "short now");
        assertThat(ask(first, "change_components", thing, "add_or_change", smaller, "remove", F.arrayNode()))
                .as("shrinking is always allowed").isEqualTo("[\"change_components\",\"ok\"]");
        assertThat(ask(second, "spawn_entity", spec("y".repeat(4_000)))).startsWith("[\"spawn_entity\",\"");
        AlloClient third = join("third");
        assertThat(ask(third, "spawn_entity", spec("z".repeat(4_000))))
                .isEqualTo("[\"spawn_entity\",\"error\",\"the place is full: its world may weigh at most 8000 bytes\"]");
        long weight = place.call(p -> p.world().bytes()).join();
        assertThat(weight).isLessThanOrEqualTo(8_000);
        assertThat(place.call(p -> p.world().stateFor(0).json().length).join()).as("the full state a late joiner gets")
                .isLessThan(8_100);
    }

    @Test
    void kickAgentAnswersForUnknownAgentsAndBadBodies() throws Exception {
        AlloClient app = join("app");
        assertThat(ask(app, "kick_agent", "nobody")).isEqualTo("[\"kick_agent\",\"error\",\"agent not found\"]");
        assertThat(ask(app, "kick_agent")).isEqualTo("[\"kick_agent\",\"error\",\"invalid request\"]");
    }

    @Test
    void unansweredRequestsTimeOutAndUnrequestedResponsesGoNowhere() throws Exception {
        AlloClient asker = join("asker");
        AlloClient silent = join("silent");
        CompletableFuture<Interaction> stray = new CompletableFuture<>();
        asker.onInteraction(stray::complete);

        ArrayNode answer = asker.request(silent.avatarId(), Interaction.body("hello")).get(5, TimeUnit.SECONDS);
        silent.send(new Interaction(InteractionType.RESPONSE, silent.avatarId(), asker.avatarId(), "made-up",
                Interaction.body("hello", "surprise")));

        assertThat(answer.toString()).isEqualTo("[\"hello\",\"error\",\"timeout\"]");
        assertThat(ask(asker, "list_agents")).contains("\"ok\"");
        assertThat(stray).as("the unrequested response never reached the asker").isNotDone();
    }

    @Test
    void aLateJoinerAndAnAgentThatNeverAcksBothSeeTheWholePlace() throws Exception {
        AlloClient builder = join("builder");
        for (int i = 0; i < 15; i++) {
            builder.request("place", Interaction.body("spawn_entity", spec("e" + i))).get(5, TimeUnit.SECONDS);
        }
        AlloClient late = join("late");
        AlloClient neverAcks = clients.connect(address, ClientOptions.defaults("quiet").withIntentInterval(Duration.ZERO))
                .get(5, TimeUnit.SECONDS);
        neverAcks.announce().get(5, TimeUnit.SECONDS);
        int expected = place.call(p -> p.world().entityCount()).join();

        assertThat(late.awaitState(entities -> entities.size() == expected).get(5, TimeUnit.SECONDS)).hasSize(expected);
        assertThat(neverAcks.awaitState(entities -> entities.size() == expected).get(5, TimeUnit.SECONDS)).hasSize(expected);
        var server = place.call(p -> p.world().fullStateDocument().get("entities")).join();
        var mirror = late.snapshot().get(5, TimeUnit.SECONDS);
        server.fields().forEachRemaining(e -> {
            if (!"place".equals(e.getKey())) {
                assertThat(mirror.get(e.getKey())).isEqualTo(e.getValue());
            }
        });
    }
}
