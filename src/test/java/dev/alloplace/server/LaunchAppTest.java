package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * launch_app over real ENet against small in-test HTTP servers: a well-behaved app gateway, and
 * the servers an attacker would like the place to reach or that would like to hurt the place.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LaunchAppTest {

    private static final Logger log = LoggerFactory.getLogger(LaunchAppTest.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String TOKEN = "place-to-gateway-secret";

    private final List<Stub> stubs = new ArrayList<>();
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
        stubs.forEach(Stub::close);
    }

    private record Call(String path, Map<String, List<String>> headers, JsonNode body) {
    }

    /** An HTTP server on loopback that records each call and answers with {@code handler}. */
    private final class Stub implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();

        Stub(Answer handler) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                try {
                    byte[] bytes = exchange.getRequestBody().readAllBytes();
                    JsonNode body = bytes.length == 0 ? F.nullNode() : ProtocolJson.mapper().readTree(bytes);
                    calls.add(new Call(exchange.getRequestURI().getPath(), new HashMap<>(exchange.getRequestHeaders()), body));
                    handler.answer(exchange);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            stubs.add(this);
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** The next call the stub receives. */
        Call nextCall(String what) throws InterruptedException {
            Call call = calls.poll(Waits.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (call == null) {
                throw new AssertionError("waited " + Waits.PATIENCE.toMillis() + " ms until " + what + "; it did not happen");
            }
            return call;
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private static Answer status(int status, String text) {
        return exchange -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** A place whose settings name the stubs, which listen first. */
    private TestPlace placeWith(Map<String, String> settings) throws Exception {
        place = TestPlace.builder().settings(settings).start();
        return place;
    }

    private static ArrayNode launch(AlloClient client, String url) throws Exception {
        return await("the place answers launch_app of " + url,
                client.request("place", Interaction.body("launch_app", url, F.objectNode())));
    }

    private static String error(String reason) {
        return Interaction.body("launch_app", "error", reason).toString();
    }

    @Test
    void theRequesterHearsBackWhenTheLaunchedAppAnnouncesWithItsToken() throws Exception {
        Stub gateway = new Stub(status(200, "{}"));
        placeWith(Map.of("place.launch_gateways", gateway.base() + "/apps/", "place.launch_gateway_token", TOKEN));
        AlloClient visor = place.join("vera");
        ObjectNode args = F.objectNode();
        args.putArray("initialLocation").add(1);

        CompletableFuture<ArrayNode> launched = visor.request("place",
                Interaction.body("launch_app", "alloapp:" + gateway.base() + "/apps/whiteboard", args));

        Call received = gateway.nextCall("the place calls the gateway");
        assertThat(received.path()).isEqualTo("/apps/whiteboard");
        assertThat(received.headers().get("X-alloverse-server")).containsExactly("alloplace://localhost:" + place.address().getPort());
        assertThat(received.headers().get("X-alloverse-launched-by").get(0)).contains("\"display_name\":\"vera\"");
        assertThat(received.headers().get("Authorization")).containsExactly("Bearer " + TOKEN);
        assertThat(received.body().path("initialLocation")).hasSize(1);
        String token = received.body().path("avatarToken").asText();
        assertThat(token).hasSize(19);
        assertThat(launched).as("no answer before the app comes").isNotDone();

        ObjectNode appAvatar = ClientOptions.defaults("whiteboard").avatar().deepCopy();
        appAvatar.putObject("avatar").put("token", token);
        AlloClient app = place.join("whiteboard", ClientOptions.defaults("whiteboard").withAvatar(appAvatar));

        assertThat(await("the launch is answered", launched).toString())
                .isEqualTo("[\"launch_app\",\"ok\",\"" + app.avatarId() + "\"]");
        assertThat(place.component(app.avatarId(), "avatar")).as("the token is not stored").isEmpty();
    }

    @Test
    void launchAppIsRefusedUntilTheOperatorNamesAGateway() throws Exception {
        Stub gateway = new Stub(status(200, "{}"));
        placeWith(Map.of());
        AlloClient visor = place.join("vera");

        assertThat(launch(visor, "alloapp:" + gateway.base() + "/whiteboard").toString())
                .isEqualTo(error("launch_app is not enabled on this place (no app gateway is configured)"));
        assertThat(gateway.calls).isEmpty();
    }

    @Test
    void aUrlOutsideTheAllowedPrefixesIsRefusedAndNothingIsContacted() throws Exception {
        Stub gateway = new Stub(status(200, "{}"));
        Stub internal = new Stub(status(200, "internal secrets"));
        int gatewayPort = gateway.server.getAddress().getPort();
        int internalPort = internal.server.getAddress().getPort();
        placeWith(Map.of("place.launch_gateways", gateway.base() + "/apps/"));
        AlloClient attacker = place.join("mallory");

        List<String> refused = List.of(
                "alloapp:http://127.0.0.1:" + internalPort + "/apps/x",
                "alloapp:http://127.0.0.1:" + gatewayPort + "/admin",
                "alloapp:http://127.0.0.1:" + gatewayPort + "/appsx/y",
                "alloapp:http://127.0.0.1:" + gatewayPort + "/apps/../admin",
                "alloapp:http://127.0.0.1:" + gatewayPort + "/apps/%2e%2e/admin",
                "alloapp:http://127.0.0.1:" + gatewayPort + "/apps/..%2fadmin",
                "alloapp:http://127.0.0.1:" + gatewayPort + "@127.0.0.1:" + internalPort + "/apps/x",
                "alloapp:http://127.0.0.1:" + internalPort + "#@127.0.0.1:" + gatewayPort + "/apps/x",
                "alloapp:https://127.0.0.1:" + gatewayPort + "/apps/x",
                "alloapp:http://localhost:" + gatewayPort + "/apps/x",
                "alloapp:file:///etc/passwd",
                "alloapp:/apps/x");
        for (String url : refused) {
            assertThat(launch(attacker, url).toString()).as(url).isEqualTo(error("app gateway not allowed"));
        }
        assertThat(launch(attacker, "alloapp:http://127.0.0.1:" + internalPort + "/apps/x").toString())
                .isEqualTo(error("app gateway not allowed"));

        attacker.request("place", Interaction.body("launch_app", "alloapp:" + gateway.base() + "/apps/whiteboard"));
        assertThat(gateway.nextCall("the allowed launch reaches the gateway").path()).as("an allowed URL still works")
                .isEqualTo("/apps/whiteboard");
        assertThat(gateway.calls).as("only the allowed call reached the gateway").isEmpty();
        assertThat(internal.calls).as("nothing reached the internal server").isEmpty();
    }

    @Test
    void aHugeAnswerIsReadOnlyUpToTheCapAndDoesNotGrowTheHeap() throws Exception {
        long answerBytes = 200L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writerStopped = new CompletableFuture<>();
        Stub gateway = new Stub(exchange -> {
            exchange.sendResponseHeaders(200, answerBytes);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                while (written.get() < answerBytes) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // The place stopped reading and closed the connection.
            } finally {
                writerStopped.complete(null);
            }
        });
        placeWith(Map.of("place.launch_gateways", gateway.base() + "/"));
        AlloClient visor = place.join("vera");
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Waits.wallClock(Duration.ofMillis(5), "the heap is sampled every 5 ms while the answer streams");
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            assertThat(launch(visor, "alloapp:" + gateway.base() + "/whiteboard").toString())
                    .isEqualTo(error("app gateway answer too large"));
            await("the gateway's writer sees the place hang up", writerStopped);
        } finally {
            sampling.set(false);
            sampler.join();
        }
        long growth = peak.get() - baseline;
        log.info("200 MB answer: gateway wrote {} KB before the place hung up; heap peak {} MB over a baseline of {} MB",
                written.get() / 1024, growth >> 20, baseline >> 20);
        assertThat(written.get()).as("the place stopped reading long before the end").isLessThan(answerBytes / 4);
        assertThat(growth).as("heap growth while the answer streamed").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aGatewayThatNeverAnswersOrTricklesTimesOut() throws Exception {
        CompletableFuture<Void> tricklerStopped = new CompletableFuture<>();
        Stub silent = new Stub(exchange -> {
            try {
                Waits.wallClock(Duration.ofSeconds(30), "a gateway that never answers, past the place's HTTP timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Stub trickler = new Stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write('{');
                    out.flush();
                    Waits.wallClock(Duration.ofMillis(50), "a gateway that trickles a byte every 50 ms");
                }
            } catch (IOException | InterruptedException e) {
                // The place gave up and closed the connection.
            } finally {
                tricklerStopped.complete(null);
            }
        });
        placeWith(Map.of("place.launch_gateways", silent.base() + "/ " + trickler.base() + "/",
                "place.launch_gateway_timeout_ms", "500"));
        AlloClient visor = place.join("vera");

        assertThat(launch(visor, "alloapp:" + silent.base() + "/whiteboard").toString())
                .isEqualTo(error("app gateway timed out"));
        assertThat(launch(visor, "alloapp:" + trickler.base() + "/whiteboard").toString())
                .isEqualTo(error("app gateway timed out"));
        await("the trickler sees the place hang up", tricklerStopped);
    }

    @Test
    void aRefusingGatewaysBodyIsNeverEchoedAndRedirectsAreNotFollowed() throws Exception {
        Stub refusing = new Stub(status(500, "{\"error\":\"SECRET: cannot reach 10.0.0.7:5432\"}"));
        Stub internal = new Stub(status(200, "{}"));
        Stub redirecting = new Stub(exchange -> {
            exchange.getResponseHeaders().add("Location", internal.base() + "/");
            exchange.sendResponseHeaders(302, -1);
        });
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        placeWith(Map.of("place.launch_gateways",
                refusing.base() + "/," + redirecting.base() + "/,http://127.0.0.1:" + closedPort + "/"));
        AlloClient visor = place.join("vera");

        assertThat(launch(visor, "alloapp:" + refusing.base() + "/whiteboard").toString())
                .isEqualTo(error("app gateway answered 500 Internal Server Error"));
        assertThat(launch(visor, "alloapp:" + redirecting.base() + "/whiteboard").toString())
                .isEqualTo(error("app gateway answered 302 Redirect (not followed)"));
        assertThat(internal.calls).as("the redirect was not followed").isEmpty();
        assertThat(launch(visor, "alloapp:http://127.0.0.1:" + closedPort + "/whiteboard").toString())
                .isEqualTo(error("app gateway unreachable"));
        assertThat(place.ask(visor, "launch_app", "http://not-alloapp").toString()).isEqualTo(error("invalid request"));
    }

    @Test
    void anAgentMayHaveOnlyAFewLaunchesPending() throws Exception {
        Stub gateway = new Stub(status(200, "{}"));
        placeWith(Map.of("place.launch_gateways", gateway.base() + "/", "place.launch_max_pending_per_agent", "2"));
        AlloClient visor = place.join("vera");
        String url = "alloapp:" + gateway.base() + "/whiteboard";

        visor.request("place", Interaction.body("launch_app", url));
        visor.request("place", Interaction.body("launch_app", url));
        assertThat(launch(visor, url).toString()).isEqualTo(error("too many launches pending"));
        assertThat(gateway.nextCall("the first launch reaches the gateway")).isNotNull();
        assertThat(gateway.nextCall("the second launch reaches the gateway")).isNotNull();
        Waits.wallClock(Duration.ofMillis(200), "a third HTTP call (the place's client is asynchronous) would be in by now");
        assertThat(gateway.calls).as("the refused launch called no gateway").isEmpty();
    }

    @Test
    void anAppThatNeverAnnouncesTimesOut() throws Exception {
        Stub gateway = new Stub(status(200, "{}"));
        placeWith(Map.of("place.launch_gateways", gateway.base() + "/", "place.launch_timeout_ms", "300"));
        AlloClient visor = place.join("vera");

        assertThat(launch(visor, "alloapp:" + gateway.base() + "/whiteboard").toString()).contains("did not announce");
    }
}
