package dev.alloplace.gateway;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.ChildJava;
import dev.alloplace.testing.TestPlace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A place configured with a gateway, a visor that sends launch_app, and the example clock
 * booted by the gateway as a real child JVM: the whole path an Alloverse user takes when they
 * open an app from the menu.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayEndToEndTest {

    private static final Logger log = LoggerFactory.getLogger(GatewayEndToEndTest.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String TOKEN = "place-and-gateway-share-this";
    /** A launch starts a JVM on a shared machine. */
    private static final Duration LAUNCH = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final String marker = UUID.randomUUID().toString();
    private AppGateway gateway;
    private TestPlace place;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (place != null) {
            place.close();
        }
        assertThat(ChildJava.running(marker)).as("nothing the gateway started is left running").isEmpty();
    }

    private void startGatewayAndPlace() throws Exception {
        Path catalog = dir.resolve("apps.yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(catalog.toFile(), Map.of("apps", List.of(
                Map.of("name", "clock", "max_instances", 1,
                        "command", ChildJava.command(marker, "dev.alloplace.cli.Main", "example-app")),
                Map.of("name", "quitter", "command", ChildJava.command(marker, "dev.alloplace.NoSuchMainClass")))));
        // The quitter's JVM must have exited within the start check to be an error: about 150 ms
        // on a quiet machine, so 1.5 s leaves a busy one ten times that.
        gateway = AppGateway.start(ConfigLoader.load(GatewaySettings.ALL, Map.of("gateway.port", "0",
                "gateway.apps_file", catalog.toString(), "gateway.token", TOKEN, "gateway.shutdown_grace_ms", "3000",
                "gateway.start_check_ms", "1500"), Map.of(), null), System.getenv());
        place = TestPlace.start(Map.of("place.launch_gateways", gatewayUrl("/"), "place.launch_gateway_token", TOKEN,
                "place.public_host", "127.0.0.1", "place.launch_timeout_ms", "90000"), List.of());
    }

    private String gatewayUrl(String path) {
        return "http://127.0.0.1:" + gateway.address().getPort() + path;
    }

    private static String text(Map<String, ObjectNode> entities, String id) {
        return Optional.ofNullable(entities.get(id)).map(e -> e.path("components").path("text").path("string").asText())
                .orElse("");
    }

    /** The clock face: the entity whose parent is the app's avatar and that shows text. */
    private static String faceOf(Map<String, ObjectNode> entities, String avatarId) {
        return entities.entrySet().stream()
                .filter(e -> e.getValue().path("components").path("relationships").path("parent").asText().equals(avatarId))
                .filter(e -> !text(entities, e.getKey()).isEmpty())
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    @Test
    void launchAppBootsTheExampleAppWhichJoinsWithItsTokenAndGoesWhenTheGatewayStops() throws Exception {
        startGatewayAndPlace();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera").withRequestTimeout(LAUNCH));
        ObjectNode args = F.objectNode();
        ArrayNode location = args.putArray("initialLocation");
        for (double v : new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 2, 0, -3, 1}) {
            location.add(v);
        }

        long asked = System.nanoTime();
        ArrayNode answer = await("the clock app is launched", LAUNCH, visor.request("place",
                Interaction.body("launch_app", "alloapp:" + gatewayUrl("/clock"), args)));
        long launchMillis = (System.nanoTime() - asked) / 1_000_000;

        assertThat(answer.path(0).asText()).isEqualTo("launch_app");
        assertThat(answer.path(1).asText()).as(answer.toString()).isEqualTo("ok");
        String appAvatar = answer.path(2).asText();
        Map<String, ObjectNode> seen = await("the visor's mirror has the clock face", Duration.ofSeconds(20),
                visor.awaitState(entities -> faceOf(entities, appAvatar) != null));
        long seenMillis = (System.nanoTime() - asked) / 1_000_000;
        log.info("launch_app -> ok with the app's avatar in {} ms; its clock face in the visor's mirror after {} ms",
                launchMillis, seenMillis);
        assertThat(seen.get(appAvatar).path("components").path("transform").path("matrix").get(12).asDouble())
                .as("the app stands where the launch asked").isEqualTo(2.0);
        assertThat(seen.get(appAvatar).path("components").has("avatar")).as("the token is not stored").isFalse();
        String face = faceOf(seen, appAvatar);
        assertThat(text(seen, face)).matches("\\d\\d:\\d\\d:\\d\\d");
        assertThat(await("the gateway's list of running apps", gateway.supervisor().running())).singleElement()
                .satisfies(app -> assertThat(app.placeUrl()).isEqualTo("alloplace://127.0.0.1:" + place.address().getPort()));

        assertThat(place.request(visor, face, Interaction.body("poke", true)).toString()).isEqualTo("[\"poke\",\"ok\"]");
        place.mirrorOf(visor, "the clock face in 12-hour time", entities -> text(entities, face).endsWith("M"));

        assertThat(ChildJava.running(marker)).hasSize(1);
        gateway.stop();

        assertThat(ChildJava.running(marker)).as("stopping the gateway stopped the app").isEmpty();
        await("the visor's mirror has neither the app's avatar nor its face", Duration.ofSeconds(20),
                visor.awaitState(entities -> !entities.containsKey(appAvatar) && !entities.containsKey(face)));
    }

    @Test
    void unknownAppBadJsonOverTheLimitAndAnAppThatExitsAtOnceAreEachAClearError() throws Exception {
        startGatewayAndPlace();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera").withRequestTimeout(LAUNCH));

        assertThat(launch(visor, "/whiteboard")).isEqualTo(error("app gateway answered 404 Not Found"));
        assertThat(launch(visor, "/quitter")).isEqualTo(error("app gateway answered 502 Bad Gateway"));
        assertThat(ChildJava.running(marker)).isEmpty();

        CompletableFuture<ArrayNode> first = visor.request("place", Interaction.body("launch_app", "alloapp:" + gatewayUrl("/clock")));
        assertThat(await("the first clock is launched", LAUNCH, first).path(1).asText()).isEqualTo("ok");
        assertThat(launch(visor, "/clock")).as("clock's max_instances is 1").isEqualTo(error("app gateway answered 503 Service Unavailable"));

        HttpResponse<String> badJson = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gatewayUrl("/clock")))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .header("x-alloverse-server", "alloplace://127.0.0.1:" + place.address().getPort())
                .POST(HttpRequest.BodyPublishers.ofString("{\"avatarToken\": ")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(badJson.body()).path("error").asText())
                .isEqualTo("the body must be a JSON object (the launch arguments)");

        assertThat(ChildJava.running(marker)).as("only the one clock runs").hasSize(1);
        gateway.stop();
        assertThat(ChildJava.running(marker)).isEmpty();
    }

    private String launch(AlloClient visor, String path) throws Exception {
        return await("the place answers launch_app of " + path, LAUNCH,
                visor.request("place", Interaction.body("launch_app", "alloapp:" + gatewayUrl(path), F.objectNode())))
                .toString();
    }

    private static String error(String reason) {
        return Interaction.body("launch_app", "error", reason).toString();
    }
}
