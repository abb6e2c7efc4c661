package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static dev.alloplace.testing.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AnnounceRefusedException;
import dev.alloplace.client.Announced;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.ClockSample;
import dev.alloplace.client.Disconnected;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.Inbox;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Visors and apps (our Java client) in a place over real ENet, in both protocol versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceEndToEndTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static ClientOptions options(String name, ChannelLayout layout) {
        return ClientOptions.defaults(name).withLayout(layout);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void announcedAgentSeesItsAvatarAndThePlaceClock(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient annie = place.connect(options("annie", layout));

        Announced announced = await("annie's announce is answered", annie.announce());

        assertThat(announced.placeName()).isEqualTo("Test place");
        assertThat(announced.avatarId()).matches("[a-y]{10}");
        var state = place.mirrorOf(annie, "her avatar", entities -> entities.containsKey(announced.avatarId()));
        assertThat(state.get(announced.avatarId()).path("components").path("visor").path("display_name").asText())
                .isEqualTo("annie");
        assertThat(state.get("place").path("components").path("clock").path("time").isNumber()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void aConnectionGetsNoWorldUntilItAnnounces(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient lurker = place.connect(options("lurker", layout));

        place.heartbeats(8);
        assertThat(await("the lurker's diff counters", lurker.diffCounters())[0]).as("states before announce").isZero();

        String avatar = await("the lurker's announce is answered", lurker.announce()).avatarId();
        assertThat(place.mirrorOf(lurker, "its avatar", entities -> entities.containsKey(avatar))).containsKey("place");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void announceWithOldVersionIsRejectedAndDisconnected(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient old = place.connect(options("old", layout).withAnnounceVersion(2));

        assertThat(failure("the old client's announce is refused", old.announce()))
                .isInstanceOf(AnnounceRefusedException.class)
                .hasMessageContaining("1003: Please update your app. Outdated network protocol.");
        Disconnected gone = await("the old client is disconnected", old.disconnected());
        assertThat(gone.cause()).isEqualTo(DisconnectCause.REMOTE);
        assertThat(gone.data()).isEqualTo(1003);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void anythingBeforeAnnounceIsForbiddenAndASecondAnnounceRefused(ChannelLayout layout, TestPlace place)
            throws Exception {
        AlloClient early = place.connect(options("early", layout));

        ArrayNode refused = await("the place answers a spawn before announce",
                early.request("", "place", Interaction.body("spawn_entity", F.objectNode())));
        assertThat(refused.toString()).isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");

        await("early's announce is answered", early.announce());
        ArrayNode again = await("the place answers a second announce", early.request("", "place", Interaction.body(
                "announce", "version", layout.version(), "identity", F.objectNode(), "spawn_avatar", F.objectNode())));
        assertThat(again.get(1).asText()).isEqualTo("error");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void spawnedChangedAndRemovedEntitiesReachTheOtherAgent(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient app = place.join("app", options("app", layout));
        AlloClient visor = place.join("visor", options("visor", ChannelLayout.V4));
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", "hello");
        spec.putArray("children").addObject().putObject("material").putArray("color").add(1).add(0).add(0).add(1);

        ArrayNode spawned = place.ask(app, "spawn_entity", spec);
        assertThat(spawned.get(0).asText()).isEqualTo("spawn_entity");
        String id = spawned.get(1).asText();
        var seen = place.mirrorOf(visor, "the entity and its child", entities -> entities.containsKey(id)
                && entities.values().stream().anyMatch(e -> id.equals(e.path("components").path("relationships")
                        .path("parent").asText())));
        assertThat(seen.get(id).path("components").path("transform").path("matrix")).hasSize(16);

        ObjectNode changes = F.objectNode();
        changes.putObject("text").put("string", "changed");
        ArrayNode changed = place.ask(app, "change_components", id, "add_or_change", changes, "remove", F.arrayNode());
        assertThat(changed.toString()).isEqualTo("[\"change_components\",\"ok\"]");
        place.mirrorOf(visor, "the changed text", entities -> entities.containsKey(id)
                && "changed".equals(entities.get(id).path("components").path("text").path("string").asText()));

        ArrayNode forbidden = place.ask(visor, "change_components", id, "add_or_change", changes, "remove", F.arrayNode());
        assertThat(forbidden.toString()).isEqualTo("[\"change_components\",\"error\",\"not the owner\"]");

        ArrayNode removed = place.ask(app, "remove_entity", id, "cascade");
        assertThat(removed.toString()).isEqualTo("[\"remove_entity\",\"ok\"]");
        place.mirrorOf(visor, "neither the entity nor its child", entities -> !entities.containsKey(id)
                && entities.values().stream()
                        .noneMatch(e -> id.equals(e.path("components").path("relationships").path("parent").asText())));
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void requestsAreRoutedToTheOwnerAndResponsesBackToTheRequester(ChannelLayout layout, TestPlace place)
            throws Exception {
        AlloClient asker = place.join("asker", options("asker", layout));
        AlloClient answerer = place.join("answerer", options("answerer", ChannelLayout.V4));
        answerer.onInteraction(request -> {
            if (request.type() == InteractionType.REQUEST && "poke".equals(request.name())) {
                answerer.respond(request, Interaction.body("poke", "ok", request.from()));
            }
        });

        ArrayNode answer = place.request(asker, answerer.avatarId(), Interaction.body("poke", true));

        assertThat(answer.toString()).isEqualTo("[\"poke\",\"ok\",\"" + asker.avatarId() + "\"]");
        ArrayNode nobody = place.request(asker, "nosuchentity", Interaction.body("poke", true));
        assertThat(nobody.toString()).isEqualTo("[\"poke\",\"error\",\"invalid request\"]");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void leavingRemovesTheAgentsEntitiesAndAnswersItsPendingRequests(ChannelLayout layout, TestPlace place)
            throws Exception {
        AlloClient leaver = place.join("leaver", options("leaver", layout));
        AlloClient stayer = place.join("stayer", options("stayer", ChannelLayout.V4));
        String avatar = leaver.avatarId();
        place.mirrorOf(stayer, "the leaver's avatar", entities -> entities.containsKey(avatar));
        Inbox leaverGot = place.inbox(leaver);
        CompletableFuture<ArrayNode> pending = stayer.request(avatar, Interaction.body("never_answered"));
        assertThat(leaverGot.next("the stayer's request", interaction -> true).name()).isEqualTo("never_answered");

        place.leave(leaver);

        place.mirrorOf(stayer, "no avatar of the leaver", entities -> !entities.containsKey(avatar));
        assertThat(await("the stayer's pending request is answered", pending).toString())
                .isEqualTo("[\"never_answered\",\"error\",\"recipient disconnected\"]");
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void malformedInputIsIgnoredAndTheAgentKeepsWorking(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient troll = place.join("troll", options("troll", layout));
        troll.sendCommand("{not json".getBytes(StandardCharsets.UTF_8));
        troll.sendCommand(new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        troll.sendCommand("[\"interaction\",\"request\"]".getBytes(StandardCharsets.UTF_8));
        troll.sendCommand(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        troll.send(new Interaction(InteractionType.RESPONSE, troll.avatarId(), "x", "never-asked", Interaction.body("x")));
        troll.sendRaw(layout.stateDiffs(), "garbage".getBytes(StandardCharsets.UTF_8), Delivery.UNRELIABLE);
        troll.sendRaw(layout.clock(), "[1]".getBytes(StandardCharsets.UTF_8), Delivery.UNRELIABLE);

        ArrayNode forged = await("the place answers a request from someone else's entity", troll.request(
                "place-entity-of-someone-else", "place", Interaction.body("spawn_entity", F.objectNode())));
        assertThat(forged.toString()).isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");
        ArrayNode list = place.ask(troll, "list_agents");
        assertThat(list.get(1).asText()).isEqualTo("ok");
        assertThat(list.get(2).get(0).path("display_name").asText()).isEqualTo("troll");
        assertThat(clockSample(troll).serverTime()).isPositive();
    }

    /**
     * Clock requests and answers are unreliable, as in allonet: a client asks again when no answer
     * came within a second (the wall clock: an unreliable datagram lost on the way).
     */
    private static ClockSample clockSample(AlloClient client) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.syncClock().get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void kickAgentDisconnectsWithCode1005(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient victim = place.join("victim", options("victim", layout));
        AlloClient admin = place.join("admin", options("admin", ChannelLayout.V4));
        ArrayNode list = place.ask(admin, "list_agents");
        String victimId = null;
        for (var agent : list.get(2)) {
            if ("victim".equals(agent.path("display_name").asText())) {
                victimId = agent.path("agent_id").asText();
            }
        }

        ArrayNode kicked = place.ask(admin, "kick_agent", victimId);

        assertThat(kicked.toString()).isEqualTo("[\"kick_agent\",\"ok\"]");
        assertThat(await("the victim is disconnected", victim.disconnected()).data()).isEqualTo(1005);
    }
}
