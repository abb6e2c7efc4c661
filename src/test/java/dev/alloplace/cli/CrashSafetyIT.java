package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.Waits;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server is killed with SIGKILL while ACL rules are being added through the admin
 * API; after a restart on the same data directory every rule that was acknowledged is back and
 * the files are readable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashSafetyIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private Process start(Path data, int adminPort) throws IOException {
        Path jar = Path.of(System.getProperty("alloplace.jar", "target/alloplace.jar"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--bind", "127.0.0.1", "--port", "0", "--admin-port", "" + adminPort,
                "--data-dir", data.toString()).redirectErrorStream(true).redirectOutput(data.resolveSibling("server.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ALLOPLACE_"));
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (call(port, "GET", "/readyz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(process.isAlive()).as("server running").isTrue();
            Waits.wallClock(Duration.ofMillis(100), "the server, another process, is polled until it is ready");
        }
        throw new AssertionError("server never became ready");
    }

    @Test
    void everyAcknowledgedAclChangeSurvivesSigkill(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        process = start(data, port);
        awaitReady(port);

        Set<String> acknowledged = java.util.Collections.synchronizedSet(new HashSet<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (int i = 0; !stop.get() && i < 10_000; i++) {
                    String guard = "[\"interaction\", _, _, _, _, [\"w" + writer + "_" + i + "\" | _]]";
                    String body = "{\"effect\":\"deny\",\"guard\":" + quote(guard) + "}";
                    try {
                        HttpResponse<String> response = call(port, "POST", "/api/acl", body);
                        if (response.statusCode() == 200) {
                            acknowledged.add(guard);
                        } else if (response.statusCode() == 400 && response.body().contains("too_many_rules")) {
                            return;
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "acl-writer-" + w);
            thread.start();
            writers.add(thread);
        }
        Waits.until("the writers have 40 acknowledged ACL changes", () -> acknowledged.size() >= 40);
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread thread : writers) {
            thread.join(10_000);
        }
        Set<String> before = Set.copyOf(acknowledged);

        process = start(data, port);
        awaitReady(port);
        JsonNode rules = ProtocolJson.mapper().readTree(call(port, "GET", "/api/acl", null).body());
        Set<String> after = new HashSet<>();
        rules.forEach(rule -> after.add(rule.path("guard").asText()));

        assertThat(after).as("every acknowledged rule is back").containsAll(before);
        assertThat(before).hasSizeGreaterThanOrEqualTo(40);
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .contains("acl.json", "place.json");
        }
    }

    private static String quote(String text) {
        try {
            return ProtocolJson.mapper().writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
