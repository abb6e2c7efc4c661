package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin JSON API against a live place with agents connected over ENet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminApiTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final HttpClient http = HttpClient.newHttpClient();
    private TestPlace place;

    @BeforeEach
    void start() throws Exception {
        place = TestPlace.start();
    }

    @AfterEach
    void stop() {
        place.close();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        var address = place.server().adminAddress().orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ProtocolJson.mapper().readTree(response.body());
    }

    @Test
    void placeAgentsAndEntitiesAreListed() throws Exception {
        AlloClient app = place.join("app", ClientOptions.defaults("app"));
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", "findme");
        spec.putArray("children").addObject().putObject("material").put("shader_name", "plain");
        String id = app.request("place", Interaction.body("spawn_entity", spec)).get(5, TimeUnit.SECONDS).get(1).asText();

        JsonNode info = json(call("GET", "/api/place"));
        assertThat(info.path("name").asText()).isEqualTo("Test place");
        assertThat(info.path("entities").asInt()).isEqualTo(4);

        JsonNode agents = json(call("GET", "/api/agents"));
        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).path("display_name").asText()).isEqualTo("app");
        assertThat(agents.get(0).path("avatar_id").asText()).isEqualTo(app.avatarId());

        JsonNode tree = json(call("GET", "/api/entities"));
        JsonNode spawned = null;
        for (JsonNode root : tree) {
            if (id.equals(root.path("id").asText())) {
                spawned = root;
            }
        }
        assertThat(spawned).isNotNull();
        assertThat(spawned.path("children").get(0).path("components").path("material").path("shader_name").asText())
                .isEqualTo("plain");

        JsonNode search = json(call("GET", "/api/entities?q=findme"));
        assertThat(search).hasSize(1);
        assertThat(search.get(0).path("id").asText()).isEqualTo(id);
        assertThat(json(call("GET", "/api/entities/" + id)).path("owner").asText())
                .isEqualTo(agents.get(0).path("agent_id").asText());
        assertThat(call("GET", "/api/entities/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void kickDisconnectsTheAgentWithCode1005() throws Exception {
        AlloClient troll = place.join("troll", ClientOptions.defaults("troll"));
        String agentId = json(call("GET", "/api/agents")).get(0).path("agent_id").asText();

        HttpResponse<String> kicked = call("POST", "/api/agents/" + agentId + "/kick");

        assertThat(kicked.statusCode()).isEqualTo(200);
        assertThat(troll.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);
        assertThat(call("POST", "/api/agents/nobody/kick").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/agents/" + agentId + "/kick").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsListThePlace() throws Exception {
        place.join("someone", ClientOptions.defaults("someone"));
        Thread.sleep(1200);
        String metrics = call("GET", "/metrics").body();
        assertThat(metrics).contains("alloplace_agents{").contains("alloplace_entities{")
                .contains("alloplace_heartbeat_seconds_bucket").contains("alloplace_enet_bytes_sent_total")
                .contains("jvm_memory_used_bytes").contains("alloplace_interactions_total{")
                .contains("alloplace_acl_denials_total").contains("alloplace_media_forwarded_total")
                .contains("alloplace_assets_store_bytes").contains("alloplace_enet_retransmits_total")
                .contains("alloplace_channel_messages_bytes_count{application=\"alloplace\",channel=\"commands\",direction=\"in\"")
                .contains("channel=\"state_diffs\",direction=\"out\"").contains("alloplace_enet_rtt_milliseconds");
    }
}
