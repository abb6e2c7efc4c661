package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** launch_app against a small in-test app gateway. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LaunchAppTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private HttpServer gateway;
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    private record Call(Map<String, List<String>> headers, JsonNode body) {
    }

    private CompletableFuture<Call> gateway(int status, String answer) throws Exception {
        CompletableFuture<Call> call = new CompletableFuture<>();
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/whiteboard", exchange -> {
            JsonNode body = ProtocolJson.mapper().readTree(exchange.getRequestBody().readAllBytes());
            call.complete(new Call(exchange.getRequestHeaders(), body));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        gateway.start();
        return call;
    }

    private String url() {
        return "alloapp:http://127.0.0.1:" + gateway.getAddress().getPort() + "/whiteboard";
    }

    @Test
    void theRequesterHearsBackWhenTheLaunchedAppAnnouncesWithItsToken() throws Exception {
        CompletableFuture<Call> call = gateway(200, "{}");
        place = TestPlace.start();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera"));
        ObjectNode args = F.objectNode();
        args.putArray("initialLocation").add(1);

        CompletableFuture<ArrayNode> launched = visor.request("place", Interaction.body("launch_app", url(), args));

        Call received = call.get(5, TimeUnit.SECONDS);
        assertThat(received.headers().get("X-alloverse-server").get(0)).startsWith("alloplace://localhost:");
        assertThat(received.headers().get("X-alloverse-launched-by").get(0)).contains("\"display_name\":\"vera\"");
        assertThat(received.body().path("initialLocation")).hasSize(1);
        String token = received.body().path("avatarToken").asText();
        assertThat(token).hasSize(19);
        assertThat(launched).as("no answer before the app comes").isNotDone();

        ObjectNode appAvatar = ClientOptions.defaults("whiteboard").avatar().deepCopy();
        appAvatar.putObject("avatar").put("token", token);
        AlloClient app = place.join("whiteboard", ClientOptions.defaults("whiteboard").withAvatar(appAvatar));

        assertThat(launched.get(5, TimeUnit.SECONDS).toString()).isEqualTo("[\"launch_app\",\"ok\",\"" + app.avatarId() + "\"]");
        var entities = place.server().place().call(p -> p.world().entity(app.avatarId()).orElseThrow().components().keySet())
                .get(5, TimeUnit.SECONDS);
        assertThat(entities).as("the token is not stored").doesNotContain("avatar");
    }

    @Test
    void aRefusingGatewayOrABadUrlGetsAnError() throws Exception {
        gateway(500, "{\"error\":\"no such app\"}");
        place = TestPlace.start();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera"));

        assertThat(visor.request("place", Interaction.body("launch_app", url(), F.objectNode())).get(5, TimeUnit.SECONDS)
                .toString()).isEqualTo("[\"launch_app\",\"error\",\"{\\\"error\\\":\\\"no such app\\\"}\"]");
        assertThat(visor.request("place", Interaction.body("launch_app", "http://not-alloapp")).get(5, TimeUnit.SECONDS)
                .toString()).isEqualTo("[\"launch_app\",\"error\",\"invalid request\"]");
        assertThat(visor.request("place", Interaction.body("launch_app", "alloapp:http://127.0.0.1:1/x", F.objectNode()))
                .get(5, TimeUnit.SECONDS).toString()).isEqualTo("[\"launch_app\",\"error\",\"Failed connection to app gateway\"]");
    }

    @Test
    void anAppThatNeverAnnouncesTimesOut() throws Exception {
        gateway(200, "{}");
        place = TestPlace.start(Map.of("place.launch_timeout_ms", "300"), List.of());
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera"));

        assertThat(visor.request("place", Interaction.body("launch_app", url(), F.objectNode())).get(5, TimeUnit.SECONDS)
                .toString()).contains("did not announce");
    }
}
