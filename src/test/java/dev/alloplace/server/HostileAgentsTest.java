package dev.alloplace.server;

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
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agents that lie, flood and overreach are refused with the protocol's errors; nothing changes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class HostileAgentsTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static String worldJson(TestPlace place) throws Exception {
        return place.onPlace(p -> {
            var document = p.world().fullStateDocument();
            document.remove("revision");
            ((ObjectNode) document.get("entities")).remove("place");
            return document.toString();
        });
    }

    @Test
    @PlaceConfig("place.max_component_bytes=1000")
    void overreachingAgentsAreRefusedAndNothingChanges(TestPlace place) throws Exception {
        AlloClient owner = place.join("owner");
        AlloClient mallory = place.join("mallory");
        String thing = place.ask(owner, "spawn_entity", F.objectNode()).get(1).asText();
        String before = worldJson(place);

        ObjectNode change = F.objectNode();
        change.putObject("text").put("string", "pwned");
        assertThat(ask(place, mallory, "change_components", thing, "add_or_change", change, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"not the owner\"]");
        assertThat(ask(place, mallory, "remove_entity", thing, "cascade"))
                .isEqualTo("[\"remove_entity\",\"failed\",\"not the owner\"]");
        assertThat(await("the place answers a track allocated from the owner's entity", mallory.request(thing, "place",
                Interaction.body("allocate_track", "audio", "opus", F.objectNode()))).toString())
                .as("forged from").contains("forbidden_request");
        assertThat(await("the place answers an animation of the owner's avatar", mallory.request(owner.avatarId(),
                "place", Interaction.body("add_property_animation",
                        F.objectNode().put("path", "transform.matrix.translation.x").put("from", 0).put("to", 9))))
                .toString()).contains("forbidden_request");
        ObjectNode big = F.objectNode();
        big.putObject("text").put("string", "x".repeat(5000));
        assertThat(ask(place, mallory, "spawn_entity", big)).contains("larger than 1000 bytes");
        ObjectNode otherIdentity = F.objectNode().put("display_name", "owner");
        assertThat(ask(place, mallory, "announce", "version", 4, "identity", otherIdentity, "spawn_avatar", F.objectNode()))
                .isEqualTo("[\"announce\",\"error\",\"already announced\"]");
        mallory.send(new Interaction(InteractionType.RESPONSE, mallory.avatarId(), owner.avatarId(), "nothing-asked",
                Interaction.body("gotcha")));
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",\"r\",[\"spawn_entity\","
                + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "]]").getBytes(StandardCharsets.UTF_8));
        mallory.sendCommand(new byte[] {'[', (byte) 0xC0, (byte) 0xAF, ']'});

        assertThat(ask(place, owner, "list_agents")).contains("\"ok\"");
        place.caughtUp(mallory);
        assertThat(worldJson(place)).as("nothing changed").isEqualTo(before);
    }

    @Test
    // A place with no time to spare (agent_spare_work_per_heartbeat=0): a quiet one would work the flood off.
    @PlaceConfig({"place.agent_work_per_heartbeat=5", "place.agent_spare_work_per_heartbeat=0", "place.agent_backlog_messages=16"})
    void aFloodingAgentWaitsItsTurnAndIsDisconnectedWhenItsBacklogOverflows(TestPlace place) throws Exception {
        AlloClient calm = place.join("calm");
        AlloClient flooder = place.join("flooder");
        AtomicInteger spamReceived = new AtomicInteger();
        calm.onInteraction(interaction -> spamReceived.incrementAndGet());
        CompletableFuture<JsonNode> notice = new CompletableFuture<>();
        flooder.onOtherCommand(notice::complete);
        List<CompletableFuture<ArrayNode>> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            answers.add(flooder.request("place", Interaction.body("list_agents")));
        }
        for (CompletableFuture<ArrayNode> answer : answers) {
            assertThat(await("the flooder's list_agents is answered", answer).get(1).asText()).as("paced, not refused")
                    .isEqualTo("ok");
        }
        for (int i = 0; i < 100; i++) {
            flooder.send(new Interaction(InteractionType.ONEWAY, flooder.avatarId(), calm.avatarId(), "", Interaction.body("spam")));
        }
        assertThat(await("the flooder is disconnected", flooder.disconnected()).data()).isEqualTo(1006);
        assertThat(await("the flooder is told why", notice).toString()).startsWith("[\"disconnecting\",1006,\"kept ");
        assertThat(ask(place, calm, "list_agents")).contains("calm").doesNotContain("flooder");
        assertThat(spamReceived.get()).as("the flood waited in the flooder's own queue").isLessThan(40);
    }

    @Test
    void aclBypassAttemptsDoNotSlipThrough(TestPlace place) throws Exception {
        AlloClient victim = place.join("victim");
        AlloClient mallory = place.join("mallory");
        String rule = "[\"interaction\", _, _, \"place\", _, [\"kick_agent\" | _]]";
        place.admin().post("/api/acl", "{\"effect\":\"deny\",\"guard\":" + ProtocolJson.mapper().writeValueAsString(rule)
                + ",\"position\":0}");
        String victimId = place.onPlace(p -> p.agents().stream().filter(a -> "victim".equals(a.displayName()))
                .findFirst().orElseThrow().id());

        assertThat(ask(place, mallory, "kick_agent", victimId)).isEqualTo("[\"kick_agent\",\"error\",\"denied\"]");
        assertThat(ask(place, mallory, "Kick_Agent", victimId)).as("case trick: not an interaction the place knows")
                .isEqualTo("[\"Kick_Agent\",\"error\",\"invalid request\"]");
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",7,[\"kick_agent\",\""
                + victimId + "\"]]").getBytes(StandardCharsets.UTF_8));
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",\"r\",[[\"kick_agent\"],\""
                + victimId + "\"]]").getBytes(StandardCharsets.UTF_8));
        place.caughtUp(mallory, victim);
        assertThat(victim.disconnected()).as("the victim is still here").isNotDone();
    }

    @Test
    @PlaceConfig("place.max_parent_depth=100")
    void parentCyclesAndNestingBeyondTheDepthLimitAreRefusedAndATreeLeavesWithItsOwner(TestPlace place) throws Exception {
        Duration patience = Duration.ofSeconds(40);
        AlloClient owner = place.join("owner", ClientOptions.defaults("owner").withRequestTimeout(Duration.ofSeconds(60)));
        AlloClient watcher = place.join("watcher");
        int length = 150;
        List<CompletableFuture<ArrayNode>> spawns = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            spawns.add(owner.request("place", Interaction.body("spawn_entity", F.objectNode())));
        }
        List<String> chain = new ArrayList<>();
        for (CompletableFuture<ArrayNode> spawn : spawns) {
            chain.add(await("the owner's spawn " + chain.size() + " is answered", patience, spawn).get(1).asText());
        }
        List<CompletableFuture<ArrayNode>> links = new ArrayList<>();
        for (int i = 1; i < length; i++) {
            ObjectNode parent = F.objectNode();
            parent.putObject("relationships").put("parent", chain.get(i - 1));
            links.add(owner.request("place", Interaction.body("change_components", chain.get(i), "add_or_change", parent,
                    "remove", F.arrayNode())));
        }
        for (int i = 1; i < length; i++) {
            String answer = await("link " + i + " is answered", patience, links.get(i - 1)).toString();
            if (i == 101) {
                assertThat(answer).as("link " + i).contains("the parent is nested too deep (at most 100 ancestors)");
            } else {
                assertThat(answer).as("link " + i + " (the refused one starts a tree of its own)")
                        .isEqualTo("[\"change_components\",\"ok\"]");
            }
        }
        ObjectNode deeper = F.objectNode();
        deeper.putObject("relationships").put("parent", chain.get(100));
        assertThat(ask(place, owner, "spawn_entity", deeper)).contains("nested too deep");
        ObjectNode loop = F.objectNode();
        loop.putObject("relationships").put("parent", chain.get(50));
        assertThat(ask(place, owner, "change_components", chain.get(0), "add_or_change", loop, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"an entity cannot be its own ancestor\"]");
        ObjectNode self = F.objectNode();
        self.putObject("relationships").put("parent", chain.get(7));
        assertThat(ask(place, owner, "change_components", chain.get(7), "add_or_change", self, "remove", F.arrayNode()))
                .contains("its own ancestor");
        place.mirrorOf(watcher, "the end of the chain", entities -> entities.containsKey(chain.get(length - 1)));

        place.leave(owner);
        place.mirrorOf(watcher, "none of the chain", entities -> chain.stream().noneMatch(entities::containsKey));
        assertThat(ask(place, watcher, "list_agents")).as("the place still answers").contains("\"ok\"");
    }

    private static String ask(TestPlace place, AlloClient client, Object... body) throws Exception {
        return place.ask(client, body).toString();
    }
}
