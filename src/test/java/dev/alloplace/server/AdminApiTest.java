package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.RawHttp;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
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
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Content-Type", "application/json").build();
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
        String id = place.ask(app, "spawn_entity", spec).get(1).asText();

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
        assertThat(Waits.await("the troll is kicked", troll.disconnected()).data()).isEqualTo(1005);
        HttpResponse<String> nobody = call("POST", "/api/agents/nobody/kick");
        assertThat(nobody.statusCode()).isEqualTo(404);
        assertThat(json(nobody).path("error").asText()).isEqualTo("not_found");
        assertThat(call("GET", "/api/agents/" + agentId + "/kick").statusCode()).isEqualTo(405);
    }

    @Test
    void anAdminKickIsLoggedAsAnAdminActionWithTheClientsAddress() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AdminApi.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(events);
        try {
            place.join("troll", ClientOptions.defaults("troll"));
            String agentId = json(call("GET", "/api/agents")).get(0).path("agent_id").asText();

            assertThat(call("POST", "/api/agents/" + agentId + "/kick").statusCode()).isEqualTo(200);

            assertThat(events.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains("admin kicked agent " + agentId).contains("troll")
                        .contains("127.0.0.1:");
                assertThat(event.getKeyValuePairs()).extracting(kv -> kv.key + "=" + kv.value)
                        .contains("action=kick", "agent=" + agentId)
                        .anySatisfy(kv -> assertThat(kv).startsWith("remote=127.0.0.1:"));
            });
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }

    /** Issue 17, attack 7: a web page the operator opens posts to the admin endpoint on loopback. */
    @Test
    void aWebPageCannotTakeOverTheAclOrKick() throws Exception {
        AlloClient visor = place.join("visor", ClientOptions.defaults("visor"));
        InetSocketAddress admin = place.server().adminAddress().orElseThrow();
        String own = "127.0.0.1:" + admin.getPort();
        String body = "{\"effect\":\"deny\",\"guard\":\"_\",\"position\":0}";
        String rulesBefore = call("GET", "/api/acl").body();
        String[][] forgeries = {
            {"evil.example:" + admin.getPort(), "http://evil.example", "text/plain"},
            {own, null, "text/plain"},
            {own, "http://evil.example", "application/json"},
            {"rebind.evil.example:" + admin.getPort(), null, "application/json"},
        };
        for (String[] forged : forgeries) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", forged[0]);
            if (forged[1] != null) {
                headers.put("Origin", forged[1]);
            }
            headers.put("Content-Type", forged[2]);
            RawHttp.Response acl = RawHttp.send(admin, "POST", "/api/acl", headers, body);
            assertThat(acl.status()).as(String.join(" ", java.util.Arrays.toString(forged))).isIn(403, 415);
            String agentId = json(call("GET", "/api/agents")).get(0).path("agent_id").asText();
            assertThat(RawHttp.send(admin, "POST", "/api/agents/" + agentId + "/kick", headers, "{}").status()).isIn(403, 415);
        }

        assertThat(call("GET", "/api/acl").body()).as("the ACL is unchanged").isEqualTo(rulesBefore);
        assertThat(visor.disconnected()).as("nobody was kicked").isNotDone();
        AlloClient newcomer = place.join("newcomer", ClientOptions.defaults("newcomer"));
        assertThat(newcomer.avatarId()).as("announces are still accepted").isNotNull();
    }

    @Test
    void metricsListThePlace() throws Exception {
        place.join("someone", ClientOptions.defaults("someone"));
        // Round-trip times are sampled once a second of heartbeats; someone's diffs go out every heartbeat.
        Waits.until("/metrics has someone's diffs and round-trip time", Waits.PATIENCE, Duration.ofMillis(50),
                () -> call("GET", "/metrics").body().lines().anyMatch(line -> line.startsWith("alloplace_enet_rtt_milliseconds_count")
                        && !line.endsWith(" 0.0")));
        String metrics = call("GET", "/metrics").body();
        assertThat(metrics).contains("alloplace_agents{").contains("alloplace_entities{")
                .contains("alloplace_heartbeat_seconds_bucket").contains("alloplace_enet_bytes_sent_total")
                .contains("jvm_memory_used_bytes").contains("alloplace_interactions_total{")
                .contains("alloplace_acl_denials_total").contains("alloplace_media_forwarded_total")
                .contains("alloplace_assets_store_bytes").contains("alloplace_enet_retransmits_total")
                .contains("alloplace_channel_messages_bytes_count{application=\"alloplace\",channel=\"commands\",direction=\"in\"")
                .contains("channel=\"state_diffs\",direction=\"out\"").contains("alloplace_enet_rtt_milliseconds");
    }

    @Test
    void everyMetricTheOperationsGuideListsIsThereBeforeItsFirstEvent() throws Exception {
        String scrape = call("GET", "/metrics").body();
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of("docs", "operations.md"));
        String table = guide.substring(guide.indexOf("## Metrics"), guide.indexOf("## The data directory"));
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("`(alloplace_[a-z0-9_{},]+)`").matcher(table);
        java.util.List<String> names = new java.util.ArrayList<>();
        while (token.find()) {
            String name = token.group(1).replaceFirst("\\{[a-z,]+}$", ""); // labels at the end
            java.util.regex.Matcher alternatives = java.util.regex.Pattern.compile("\\{([a-z,]+)}").matcher(name);
            if (alternatives.find()) {
                for (String alternative : alternatives.group(1).split(",")) {
                    names.add(name.substring(0, alternatives.start()) + alternative + name.substring(alternatives.end()));
                }
            } else {
                names.add(name);
            }
        }
        assertThat(names).hasSizeGreaterThan(15).contains("alloplace_interactions_total", "alloplace_enet_datagrams_dropped_total");
        for (String name : names) {
            assertThat(scrape.lines().filter(l -> !l.startsWith("#")))
                    .as(name + " is scraped before anything happened").anySatisfy(l -> assertThat(l).startsWith(name));
        }
    }
}
