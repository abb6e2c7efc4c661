package dev.alloplace.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.sim.Mat4;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.TestPlace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The inspector's views (map, history, events, agents' bandwidth and lag) of a live place, over HTTP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InspectorApiTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final HttpClient http = HttpClient.newHttpClient();
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        int port = place.server().adminAddress().orElseThrow().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Content-Type", "application/json").build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = call("GET", path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return ProtocolJson.mapper().readTree(response.body());
    }

    /** Asks again (a few milliseconds apart, at most five seconds) until the answer satisfies {@code done}. */
    private JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode answer = get(path);
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            answer = get(path);
        }
        assertThat(done.test(answer)).as(path + " never became as expected: " + answer).isTrue();
        return answer;
    }

    private static ObjectNode transform(double[] matrix) {
        ArrayNode numbers = F.arrayNode();
        for (double v : matrix) {
            numbers.add(v);
        }
        ObjectNode transform = F.objectNode();
        transform.set("matrix", numbers);
        return transform;
    }

    private static String spawn(AlloClient client, ObjectNode spec) throws Exception {
        return client.request("place", Interaction.body("spawn_entity", spec)).get(5, TimeUnit.SECONDS).get(1).asText();
    }

    private static Map<String, JsonNode> byId(JsonNode markers) {
        Map<String, JsonNode> byId = new HashMap<>();
        markers.forEach(marker -> byId.put(marker.path("id").asText(), marker));
        return byId;
    }

    @Test
    void theMapShowsEveryEntityWithATransformWhereItsParentsPutIt() throws Exception {
        place = TestPlace.start();
        ObjectNode avatar = F.objectNode();
        avatar.set("transform", transform(Mat4.translation(3, 0, 4)));
        AlloClient ann = place.join("Ann", ClientOptions.defaults("Ann").withAvatar(avatar));
        ObjectNode table = F.objectNode();
        table.set("transform", transform(Mat4.multiply(Mat4.translation(2, 0, -3), Mat4.rotation(Math.PI / 2, 0, 1, 0))));
        ObjectNode cup = table.putArray("children").addObject();
        cup.set("transform", transform(Mat4.translation(1, 0.8, 0)));
        String tableId = spawn(ann, table);
        String bare = spawn(ann, F.objectNode().set("text", F.objectNode().put("string", "no transform")));
        ann.request("place", Interaction.body("change_components", bare, "add_or_change", F.objectNode(), "remove",
                F.arrayNode().add("transform"))).get(5, TimeUnit.SECONDS);

        JsonNode map = get("/api/map");

        assertThat(map.path("with_transform").asInt()).isEqualTo(4);
        assertThat(map.path("truncated").asBoolean()).isFalse();
        Map<String, JsonNode> markers = byId(map.path("markers"));
        assertThat(markers).hasSize(4).doesNotContainKey(bare);
        JsonNode annMarker = markers.get(ann.avatarId());
        assertThat(annMarker.path("kind").asText()).isEqualTo("avatar");
        assertThat(annMarker.path("label").asText()).isEqualTo("Ann");
        assertThat(annMarker.path("x").asDouble()).isEqualTo(3.0);
        assertThat(annMarker.path("z").asDouble()).isEqualTo(4.0);
        assertThat(markers.get("place").path("kind").asText()).isEqualTo("place");
        assertThat(markers.get(tableId).path("x").asDouble()).isEqualTo(2.0);
        String cupId = markers.keySet().stream().filter(id -> !List.of("place", tableId, ann.avatarId()).contains(id))
                .findFirst().orElseThrow();
        JsonNode cupMarker = markers.get(cupId);
        // the table is turned a quarter to the left: the cup's +x is the world's -z
        assertThat(cupMarker.path("x").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(cupMarker.path("y").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(cupMarker.path("z").asDouble()).isCloseTo(-4.0, within(1e-9));
        assertThat(cupMarker.path("kind").asText()).isEqualTo("entity");
    }

    @Test
    void aCycleOfParentsStillGetsItsEntitiesOnTheMap() throws Exception {
        place = TestPlace.start();
        AlloClient ann = place.join("Ann", ClientOptions.defaults("Ann"));
        String a = spawn(ann, F.objectNode().set("transform", transform(Mat4.translation(1, 0, 0))));
        String b = spawn(ann, F.objectNode().set("transform", transform(Mat4.translation(0, 0, 1))));
        for (String[] pair : new String[][] {{a, b}, {b, a}}) {
            ObjectNode change = F.objectNode();
            change.putObject("relationships").put("parent", pair[1]);
            ann.request("place", Interaction.body("change_components", pair[0], "add_or_change", change, "remove",
                    F.arrayNode())).get(5, TimeUnit.SECONDS);
        }

        Map<String, JsonNode> markers = byId(get("/api/map").path("markers"));

        assertThat(markers).containsKeys(a, b);
        assertThat(markers.get(a).path("x").asDouble() + markers.get(b).path("z").asDouble()).isFinite();
        // Broken again before Ann leaves: removing her entities would follow the cycle for ever.
        ann.request("place", Interaction.body("change_components", a, "add_or_change", F.objectNode(), "remove",
                F.arrayNode().add("relationships"))).get(5, TimeUnit.SECONDS);
    }

    @Test
    void theMapStopsAtItsLimitAndShowsTheAvatarsFirst() throws Exception {
        place = TestPlace.start(Map.of("admin.inspector_max_entities", "10"), List.of());
        AlloClient builder = place.join("builder", ClientOptions.defaults("builder"));
        for (int i = 0; i < 12; i++) {
            spawn(builder, F.objectNode().set("transform", transform(Mat4.translation(i, 0, 0))));
        }
        AlloClient late = place.join("late", ClientOptions.defaults("late"));

        JsonNode map = get("/api/map");

        assertThat(map.path("markers")).hasSize(10);
        assertThat(map.path("with_transform").asInt()).isEqualTo(15);
        assertThat(map.path("truncated").asBoolean()).isTrue();
        assertThat(byId(map.path("markers"))).containsKeys(builder.avatarId(), late.avatarId());
        HttpResponse<String> tree = call("GET", "/api/entities");
        assertThat(tree.headers().firstValue("X-Alloplace-Truncated")).hasValue("true");
        assertThat(ProtocolJson.mapper().readTree(tree.body())).hasSize(10);
        JsonNode three = get("/api/entities?limit=3");
        assertThat(three).hasSize(3);
        assertThat(call("GET", "/api/entities?limit=many").statusCode()).isEqualTo(400);
    }

    @Test
    void theHistoryHoldsOneSampleASecondFromBeforeAnyoneAsked() throws Exception {
        ManualClock clock = new ManualClock();
        place = TestPlace.start(Map.of("admin.inspector_history_seconds", "10"), clock);
        place.join("visitor", ClientOptions.defaults("visitor"));
        place.heartbeats(20 * 15);

        JsonNode history = get("/api/history");

        assertThat(history.path("capacity").asInt()).isEqualTo(10);
        JsonNode samples = history.path("samples");
        assertThat(samples).hasSize(10);
        List<Double> times = new ArrayList<>();
        samples.forEach(sample -> times.add(sample.path("t").asDouble()));
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isCloseTo(1.0, within(0.051));
        }
        assertThat(history.path("now").asDouble()).isGreaterThanOrEqualTo(times.get(9)).isCloseTo(15.0, within(0.06));
        JsonNode last = samples.get(9);
        assertThat(last.path("agents").asInt()).isEqualTo(1);
        assertThat(last.path("entities").asInt()).isEqualTo(2);
        assertThat(last.path("heartbeat_max_ms").asDouble()).as("no time passes in a heartbeat on a stepped clock").isZero();
        // the transport publishes its counters on its own clock, which a stepped place outruns
        assertThat(samples.findValues("bytes_out_per_s").stream().mapToLong(JsonNode::asLong).sum()).isPositive();
        assertThat(get("/api/history?since=" + times.get(7)).path("samples")).hasSize(2);
        assertThat(call("GET", "/api/history?since=soon").statusCode()).isEqualTo(400);
    }

    @Test
    void eventsListJoinsLeavesWithTheirReasonKicksDenialsAndRefusals() throws Exception {
        place = TestPlace.start();
        AlloClient ann = place.join("Ann", ClientOptions.defaults("Ann"));
        AlloClient bob = place.join("Bob", ClientOptions.defaults("Bob"));
        for (int i = 0; i < 3; i++) {
            bob.request("place", Interaction.body("acl_add", "allow", "_")).get(5, TimeUnit.SECONDS);
        }
        String annId = null;
        for (JsonNode agent : await("/api/agents", agents -> agents.size() == 2)) {
            if ("Ann".equals(agent.path("display_name").asText())) {
                annId = agent.path("agent_id").asText();
            }
        }
        long seenSeq = get("/api/events").path("events").get(2).path("seq").asLong();
        assertThat(call("POST", "/api/agents/" + annId + "/kick").statusCode()).isEqualTo(200);
        ann.disconnected().get(5, TimeUnit.SECONDS);
        bob.disconnect().get(5, TimeUnit.SECONDS);
        AlloClient outdated = place.connect(ClientOptions.defaults("Old").withAnnounceVersion(3));
        outdated.announce().exceptionally(e -> null);
        outdated.disconnected().get(5, TimeUnit.SECONDS);

        JsonNode events = await("/api/events", answer -> answer.path("events").size() == 7).path("events");

        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add((e.path("kind").asText() + " " + e.path("name").asText() + ": "
                + e.path("detail").asText() + " ×" + e.path("count").asInt()).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1")));
        assertThat(lines).containsExactly(
                "join Ann: avatar " + ann.avatarId() + " ×1",
                "join Bob: avatar " + bob.avatarId() + " ×1",
                "denied Bob: acl_add (rule rule-1) ×3",
                "kick Ann: by the admin API from 127.0.0.1 ×1",
                "leave Ann: kicked (1005) ×1",
                "leave Bob: disconnected ×1",
                "refused : protocol outdated (1003) from 127.0.0.1 ×1");
        assertThat(get("/api/events?since=" + seenSeq).path("events")).hasSize(4);
    }

    @Test
    void agentsShowTheirBandwidthAndHowFarBehindTheStateTheyAcknowledgedIs() throws Exception {
        ManualClock clock = new ManualClock();
        place = TestPlace.start(Map.of(), clock);
        AlloClient quiet = place.join("quiet", ClientOptions.defaults("quiet").withIntentInterval(Duration.ZERO));
        // it acknowledges the world it got with its announce, then the next diff
        catchUp(quiet);
        place.heartbeats(1);
        catchUp(quiet);
        JsonNode caughtUp = await("/api/agents", agents -> agents.get(0).path("state_lag_revisions").asLong(-1) == 0).get(0);
        assertThat(caughtUp.path("state_lag_ms").asLong()).isZero();
        assertThat(caughtUp.has("bytes_out_per_s")).as("no rate before a whole second has been seen").isFalse();

        place.heartbeats(40);

        JsonNode behind = get("/api/agents").get(0);
        assertThat(behind.path("state_lag_revisions").asLong()).isEqualTo(40);
        // behind since the first of the 40 heartbeats closed a revision it has not acknowledged
        assertThat(behind.path("state_lag_ms").asLong()).isEqualTo(1950);
        assertThat(behind.has("state_lag_at_least")).isFalse();
        assertThat(behind.path("bytes_out_per_s").asLong()).as("40 diffs in 2 s").isPositive();
        assertThat(behind.path("bytes_in_per_s").asLong()).isNotNegative();
    }

    /** The client has the place's latest revision and has said so. */
    private void catchUp(AlloClient client) throws Exception {
        long revision = place.server().place().call(p -> p.world().revision()).get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.revision().get(5, TimeUnit.SECONDS) != revision && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(client.revision().get(5, TimeUnit.SECONDS)).isEqualTo(revision);
        client.sendIntentNow();
        await("/api/agents", agents -> agents.get(0).path("ack_revision").asLong() == revision);
    }
}
