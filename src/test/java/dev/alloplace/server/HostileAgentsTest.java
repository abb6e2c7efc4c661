package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.TestPlace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Agents that lie, flood and overreach are refused with the protocol's errors; nothing changes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileAgentsTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
    }

    private String worldJson() throws Exception {
        return place.server().place().call(p -> {
            var document = p.world().fullStateDocument();
            document.remove("revision");
            ((ObjectNode) document.get("entities")).remove("place");
            return document.toString();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void overreachingAgentsAreRefusedAndNothingChanges() throws Exception {
        place = TestPlace.start(Map.of("place.max_component_bytes", "1000"), List.of());
        AlloClient owner = place.join("owner", ClientOptions.defaults("owner"));
        AlloClient mallory = place.join("mallory", ClientOptions.defaults("mallory"));
        String thing = owner.request("place", Interaction.body("spawn_entity", F.objectNode())).get(5, TimeUnit.SECONDS)
                .get(1).asText();
        String before = worldJson();

        ObjectNode change = F.objectNode();
        change.putObject("text").put("string", "pwned");
        assertThat(ask(mallory, "change_components", thing, "add_or_change", change, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"not the owner\"]");
        assertThat(ask(mallory, "remove_entity", thing, "cascade"))
                .isEqualTo("[\"remove_entity\",\"failed\",\"not the owner\"]");
        assertThat(mallory.request(thing, "place", Interaction.body("allocate_track", "audio", "opus", F.objectNode()))
                .get(5, TimeUnit.SECONDS).toString()).as("forged from").contains("forbidden_request");
        assertThat(mallory.request(owner.avatarId(), "place", Interaction.body("add_property_animation",
                F.objectNode().put("path", "transform.matrix.translation.x").put("from", 0).put("to", 9)))
                .get(5, TimeUnit.SECONDS).toString()).contains("forbidden_request");
        ObjectNode big = F.objectNode();
        big.putObject("text").put("string", "x".repeat(5000));
        assertThat(ask(mallory, "spawn_entity", big)).contains("larger than 1000 bytes");
        ObjectNode otherIdentity = F.objectNode().put("display_name", "owner");
        assertThat(ask(mallory, "announce", "version", 4, "identity", otherIdentity, "spawn_avatar", F.objectNode()))
                .isEqualTo("[\"announce\",\"error\",\"already announced\"]");
        mallory.send(new Interaction(InteractionType.RESPONSE, mallory.avatarId(), owner.avatarId(), "nothing-asked",
                Interaction.body("gotcha")));
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",\"r\",[\"spawn_entity\","
                + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "]]").getBytes(StandardCharsets.UTF_8));
        mallory.sendCommand(new byte[] {'[', (byte) 0xC0, (byte) 0xAF, ']'});

        assertThat(ask(owner, "list_agents")).contains("\"ok\"");
        assertThat(worldJson()).as("nothing changed").isEqualTo(before);
    }

    @Test
    void aFloodingAgentWaitsItsTurnAndIsDisconnectedWhenItsBacklogOverflows() throws Exception {
        place = TestPlace.start(Map.of("place.agent_work_per_heartbeat", "5", "place.agent_backlog_messages", "16"),
                List.of());
        AlloClient calm = place.join("calm", ClientOptions.defaults("calm"));
        AlloClient flooder = place.join("flooder", ClientOptions.defaults("flooder"));
        java.util.concurrent.atomic.AtomicInteger spamReceived = new java.util.concurrent.atomic.AtomicInteger();
        calm.onInteraction(interaction -> spamReceived.incrementAndGet());
        CompletableFuture<com.fasterxml.jackson.databind.JsonNode> notice = new CompletableFuture<>();
        flooder.onOtherCommand(notice::complete);
        List<CompletableFuture<ArrayNode>> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            answers.add(flooder.request("place", Interaction.body("list_agents")));
        }
        for (CompletableFuture<ArrayNode> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS).get(1).asText()).as("paced, not refused").isEqualTo("ok");
        }
        for (int i = 0; i < 100; i++) {
            flooder.send(new Interaction(InteractionType.ONEWAY, flooder.avatarId(), calm.avatarId(), "", Interaction.body("spam")));
        }
        assertThat(flooder.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1006);
        assertThat(notice.get(5, TimeUnit.SECONDS).toString()).startsWith("[\"disconnecting\",1006,\"kept ");
        assertThat(ask(calm, "list_agents")).contains("calm").doesNotContain("flooder");
        assertThat(spamReceived.get()).as("the flood waited in the flooder's own queue").isLessThan(40);
    }

    @Test
    void aclBypassAttemptsDoNotSlipThrough() throws Exception {
        place = TestPlace.start();
        AlloClient victim = place.join("victim", ClientOptions.defaults("victim"));
        AlloClient mallory = place.join("mallory", ClientOptions.defaults("mallory"));
        String rule = "[\"interaction\", _, _, \"place\", _, [\"kick_agent\" | _]]";
        var http = java.net.http.HttpClient.newHttpClient();
        int port = place.server().adminAddress().orElseThrow().getPort();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/acl"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"effect\":\"deny\",\"guard\":"
                        + dev.alloplace.protocol.ProtocolJson.mapper().writeValueAsString(rule) + ",\"position\":0}"))
                .header("Content-Type", "application/json").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String victimId = place.server().place().call(p -> p.agents().stream().filter(a -> "victim".equals(a.displayName()))
                .findFirst().orElseThrow().id()).get(5, TimeUnit.SECONDS);

        assertThat(ask(mallory, "kick_agent", victimId)).isEqualTo("[\"kick_agent\",\"error\",\"denied\"]");
        assertThat(ask(mallory, "Kick_Agent", victimId)).as("case trick: not an interaction the place knows")
                .isEqualTo("[\"Kick_Agent\",\"error\",\"invalid request\"]");
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",7,[\"kick_agent\",\""
                + victimId + "\"]]").getBytes(StandardCharsets.UTF_8));
        mallory.sendCommand(("[\"interaction\",\"request\",\"" + mallory.avatarId() + "\",\"place\",\"r\",[[\"kick_agent\"],\""
                + victimId + "\"]]").getBytes(StandardCharsets.UTF_8));
        Thread.sleep(500);
        assertThat(victim.disconnected()).as("the victim is still here").isNotDone();
    }


    @Test
    void parentCyclesAndNestingBeyondTheDepthLimitAreRefusedAndATreeLeavesWithItsOwner() throws Exception {
        place = TestPlace.start(Map.of("place.max_parent_depth", "100"), List.of());
        AlloClient owner = place.join("owner", ClientOptions.defaults("owner").withRequestTimeout(Duration.ofSeconds(60)));
        AlloClient watcher = place.join("watcher", ClientOptions.defaults("watcher"));
        int length = 150;
        List<CompletableFuture<ArrayNode>> spawns = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            spawns.add(owner.request("place", Interaction.body("spawn_entity", F.objectNode())));
        }
        List<String> chain = new ArrayList<>();
        for (CompletableFuture<ArrayNode> spawn : spawns) {
            chain.add(spawn.get(60, TimeUnit.SECONDS).get(1).asText());
        }
        List<CompletableFuture<ArrayNode>> links = new ArrayList<>();
        for (int i = 1; i < length; i++) {
            ObjectNode parent = F.objectNode();
            parent.putObject("relationships").put("parent", chain.get(i - 1));
            links.add(owner.request("place", Interaction.body("change_components", chain.get(i), "add_or_change", parent,
                    "remove", F.arrayNode())));
        }
        for (int i = 1; i < length; i++) {
            String answer = links.get(i - 1).get(60, TimeUnit.SECONDS).toString();
            if (i == 101) {
                assertThat(answer).as("link " + i).contains("the parent is nested too deep (at most 100 ancestors)");
            } else {
                assertThat(answer).as("link " + i + " (the refused one starts a tree of its own)")
                        .isEqualTo("[\"change_components\",\"ok\"]");
            }
        }
        ObjectNode deeper = F.objectNode();
        deeper.putObject("relationships").put("parent", chain.get(100));
        assertThat(ask(owner, "spawn_entity", deeper)).contains("nested too deep");
        ObjectNode loop = F.objectNode();
        loop.putObject("relationships").put("parent", chain.get(50));
        assertThat(ask(owner, "change_components", chain.get(0), "add_or_change", loop, "remove", F.arrayNode()))
                .isEqualTo("[\"change_components\",\"error\",\"an entity cannot be its own ancestor\"]");
        ObjectNode self = F.objectNode();
        self.putObject("relationships").put("parent", chain.get(7));
        assertThat(ask(owner, "change_components", chain.get(7), "add_or_change", self, "remove", F.arrayNode()))
                .contains("its own ancestor");
        watcher.awaitState(entities -> entities.containsKey(chain.get(length - 1))).get(30, TimeUnit.SECONDS);

        owner.disconnect().get(10, TimeUnit.SECONDS);
        watcher.awaitState(entities -> chain.stream().noneMatch(entities::containsKey)).get(30, TimeUnit.SECONDS);
        assertThat(ask(watcher, "list_agents")).as("the place still answers").contains("\"ok\"");
    }

    private static String ask(AlloClient client, Object... body) throws Exception {
        return client.request("place", Interaction.body(body)).get(5, TimeUnit.SECONDS).toString();
    }
}
