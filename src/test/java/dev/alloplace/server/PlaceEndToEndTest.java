package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AnnounceRefusedException;
import dev.alloplace.client.Announced;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.Disconnected;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.transport.DisconnectCause;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Visors and apps (our Java client) in a place over real ENet, in both protocol versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlaceEndToEndTest {

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

    private static ClientOptions options(String name, ChannelLayout layout) {
        return ClientOptions.defaults(name).withLayout(layout);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void announcedAgentSeesItsAvatarAndThePlaceClock(ChannelLayout layout) throws Exception {
        AlloClient annie = place.connect(options("annie", layout));

        Announced announced = annie.announce().get(5, TimeUnit.SECONDS);

        assertThat(announced.placeName()).isEqualTo("Test place");
        assertThat(announced.avatarId()).matches("[a-y]{10}");
        var state = annie.awaitState(entities -> entities.containsKey(announced.avatarId())).get(5, TimeUnit.SECONDS);
        assertThat(state.get(announced.avatarId()).path("components").path("visor").path("display_name").asText())
                .isEqualTo("annie");
        assertThat(state.get("place").path("components").path("clock").path("time").isNumber()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void aConnectionGetsNoWorldUntilItAnnounces(ChannelLayout layout) throws Exception {
        AlloClient lurker = place.connect(options("lurker", layout));

        Thread.sleep(400); // eight heartbeats
        assertThat(lurker.diffCounters().get(5, TimeUnit.SECONDS)[0]).as("states before announce").isZero();

        String avatar = lurker.announce().get(5, TimeUnit.SECONDS).avatarId();
        assertThat(lurker.awaitState(entities -> entities.containsKey(avatar)).get(5, TimeUnit.SECONDS)).containsKey("place");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void announceWithOldVersionIsRejectedAndDisconnected(ChannelLayout layout) throws Exception {
        AlloClient old = place.connect(options("old", layout).withAnnounceVersion(2));

        assertThatThrownBy(() -> old.announce().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AnnounceRefusedException.class)
                .hasMessageContaining("1003: Please update your app. Outdated network protocol.");
        Disconnected gone = old.disconnected().get(5, TimeUnit.SECONDS);
        assertThat(gone.cause()).isEqualTo(DisconnectCause.REMOTE);
        assertThat(gone.data()).isEqualTo(1003);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void anythingBeforeAnnounceIsForbiddenAndASecondAnnounceRefused(ChannelLayout layout) throws Exception {
        AlloClient early = place.connect(options("early", layout));

        ArrayNode refused = early.request("", "place", Interaction.body("spawn_entity", F.objectNode()))
                .get(5, TimeUnit.SECONDS);
        assertThat(refused.toString()).isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");

        early.announce().get(5, TimeUnit.SECONDS);
        ArrayNode again = early.request("", "place", Interaction.body("announce", "version", layout.version(),
                "identity", F.objectNode(), "spawn_avatar", F.objectNode())).get(5, TimeUnit.SECONDS);
        assertThat(again.get(1).asText()).isEqualTo("error");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void spawnedChangedAndRemovedEntitiesReachTheOtherAgent(ChannelLayout layout) throws Exception {
        AlloClient app = place.join("app", options("app", layout));
        AlloClient visor = place.join("visor", options("visor", ChannelLayout.V4));
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", "hello");
        spec.putArray("children").addObject().putObject("material").putArray("color").add(1).add(0).add(0).add(1);

        ArrayNode spawned = app.request("place", Interaction.body("spawn_entity", spec)).get(5, TimeUnit.SECONDS);
        assertThat(spawned.get(0).asText()).isEqualTo("spawn_entity");
        String id = spawned.get(1).asText();
        var seen = visor.awaitState(entities -> entities.containsKey(id)
                && entities.values().stream().anyMatch(e -> id.equals(e.path("components").path("relationships")
                        .path("parent").asText()))).get(5, TimeUnit.SECONDS);
        assertThat(seen.get(id).path("components").path("transform").path("matrix")).hasSize(16);

        ObjectNode changes = F.objectNode();
        changes.putObject("text").put("string", "changed");
        ArrayNode changed = app.request("place", Interaction.body("change_components", id, "add_or_change", changes,
                "remove", F.arrayNode())).get(5, TimeUnit.SECONDS);
        assertThat(changed.toString()).isEqualTo("[\"change_components\",\"ok\"]");
        visor.awaitState(entities -> entities.containsKey(id)
                && "changed".equals(entities.get(id).path("components").path("text").path("string").asText()))
                .get(5, TimeUnit.SECONDS);

        ArrayNode forbidden = visor.request("place", Interaction.body("change_components", id, "add_or_change", changes,
                "remove", F.arrayNode())).get(5, TimeUnit.SECONDS);
        assertThat(forbidden.toString()).isEqualTo("[\"change_components\",\"error\",\"not the owner\"]");

        ArrayNode removed = app.request("place", Interaction.body("remove_entity", id, "cascade")).get(5, TimeUnit.SECONDS);
        assertThat(removed.toString()).isEqualTo("[\"remove_entity\",\"ok\"]");
        visor.awaitState(entities -> !entities.containsKey(id) && entities.values().stream()
                .noneMatch(e -> id.equals(e.path("components").path("relationships").path("parent").asText())))
                .get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void requestsAreRoutedToTheOwnerAndResponsesBackToTheRequester(ChannelLayout layout) throws Exception {
        AlloClient asker = place.join("asker", options("asker", layout));
        AlloClient answerer = place.join("answerer", options("answerer", ChannelLayout.V4));
        answerer.onInteraction(request -> {
            if (request.type() == InteractionType.REQUEST && "poke".equals(request.name())) {
                answerer.respond(request, Interaction.body("poke", "ok", request.from()));
            }
        });

        ArrayNode answer = asker.request(answerer.avatarId(), Interaction.body("poke", true)).get(5, TimeUnit.SECONDS);

        assertThat(answer.toString()).isEqualTo("[\"poke\",\"ok\",\"" + asker.avatarId() + "\"]");
        ArrayNode nobody = asker.request("nosuchentity", Interaction.body("poke", true)).get(5, TimeUnit.SECONDS);
        assertThat(nobody.toString()).isEqualTo("[\"poke\",\"error\",\"invalid request\"]");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void leavingRemovesTheAgentsEntitiesAndAnswersItsPendingRequests(ChannelLayout layout) throws Exception {
        AlloClient leaver = place.join("leaver", options("leaver", layout));
        AlloClient stayer = place.join("stayer", options("stayer", ChannelLayout.V4));
        String avatar = leaver.avatarId();
        stayer.awaitState(entities -> entities.containsKey(avatar)).get(5, TimeUnit.SECONDS);
        var delivered = new java.util.concurrent.CompletableFuture<Interaction>();
        leaver.onInteraction(delivered::complete);
        var pending = stayer.request(avatar, Interaction.body("never_answered"));
        assertThat(delivered.get(5, TimeUnit.SECONDS).name()).isEqualTo("never_answered");

        leaver.disconnect().get(5, TimeUnit.SECONDS);

        stayer.awaitState(entities -> !entities.containsKey(avatar)).get(5, TimeUnit.SECONDS);
        assertThat(pending.get(5, TimeUnit.SECONDS).toString())
                .isEqualTo("[\"never_answered\",\"error\",\"recipient disconnected\"]");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void malformedInputIsIgnoredAndTheAgentKeepsWorking(ChannelLayout layout) throws Exception {
        AlloClient troll = place.join("troll", options("troll", layout));
        troll.sendCommand("{not json".getBytes(StandardCharsets.UTF_8));
        troll.sendCommand(new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        troll.sendCommand("[\"interaction\",\"request\"]".getBytes(StandardCharsets.UTF_8));
        troll.sendCommand(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        troll.send(new Interaction(InteractionType.RESPONSE, troll.avatarId(), "x", "never-asked", Interaction.body("x")));
        troll.sendRaw(layout.stateDiffs(), "garbage".getBytes(StandardCharsets.UTF_8), dev.alloplace.transport.Delivery.UNRELIABLE);
        troll.sendRaw(layout.clock(), "[1]".getBytes(StandardCharsets.UTF_8), dev.alloplace.transport.Delivery.UNRELIABLE);

        ArrayNode forged = troll.request("place-entity-of-someone-else", "place",
                Interaction.body("spawn_entity", F.objectNode())).get(5, TimeUnit.SECONDS);
        assertThat(forged.toString()).isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");
        ArrayNode list = troll.request("place", Interaction.body("list_agents")).get(5, TimeUnit.SECONDS);
        assertThat(list.get(1).asText()).isEqualTo("ok");
        assertThat(list.get(2).get(0).path("display_name").asText()).isEqualTo("troll");
        assertThat(clockSample(troll).serverTime()).isPositive();
    }

    /** Clock requests and answers are unreliable, as in allonet: a client asks again if one is lost. */
    private static dev.alloplace.client.ClockSample clockSample(AlloClient client) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.syncClock().get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void kickAgentDisconnectsWithCode1005(ChannelLayout layout) throws Exception {
        AlloClient victim = place.join("victim", options("victim", layout));
        AlloClient admin = place.join("admin", options("admin", ChannelLayout.V4));
        ArrayNode list = admin.request("place", Interaction.body("list_agents")).get(5, TimeUnit.SECONDS);
        String victimId = null;
        for (var agent : list.get(2)) {
            if ("victim".equals(agent.path("display_name").asText())) {
                victimId = agent.path("agent_id").asText();
            }
        }

        ArrayNode kicked = admin.request("place", Interaction.body("kick_agent", victimId)).get(5, TimeUnit.SECONDS);

        assertThat(kicked.toString()).isEqualTo("[\"kick_agent\",\"ok\"]");
        assertThat(victim.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);
    }
}
