package dev.alloplace.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.testing.ChildJava;
import dev.alloplace.testing.RecordingApp;
import dev.alloplace.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The gateway over HTTP, as a place's launch_app reaches it, starting real child processes (a
 * small JVM on the test classes) and asserting what the processes saw and that none outlives
 * the gateway.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SERVER = "alloplace://127.0.0.1:21337";

    @TempDir
    Path dir;

    private final String marker = UUID.randomUUID().toString();
    private final List<ListAppender<ILoggingEvent>> captured = new ArrayList<>();
    private AppGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.alloplace.gateway");
        captured.forEach(logger::detachAppender);
        logger.setLevel(null);
        assertThat(ChildJava.running(marker)).as("no app process outlives the gateway").isEmpty();
    }

    private Map<String, Object> recorder(String name, String... extra) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("name", name);
        List<String> args = new ArrayList<>(List.of(dir.resolve(name + ".properties").toString()));
        args.addAll(List.of(extra));
        app.put("command", ChildJava.command(marker, RecordingApp.class.getName(), args.toArray(String[]::new)));
        return app;
    }

    private AppGateway start(List<Map<String, Object>> apps, Map<String, String> settings) throws Exception {
        Path catalog = dir.resolve("apps.yaml");
        YAML.writeValue(catalog.toFile(), Map.of("apps", apps));
        Map<String, String> flags = new HashMap<>(Map.of("gateway.port", "0", "gateway.apps_file", catalog.toString(),
                "gateway.start_check_ms", "300", "gateway.shutdown_grace_ms", "1000"));
        flags.putAll(settings);
        Map<String, String> environment = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "ALLOPLACE_GATEWAY_TOKEN", "the-gateway-secret", "UNRELATED", "not for apps");
        gateway = AppGateway.start(ConfigLoader.load(GatewaySettings.ALL, flags, Map.of(), null), environment);
        return gateway;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.address().getPort() + path);
    }

    private HttpResponse<String> launch(String app, String body) throws Exception {
        return launch(app, body, "application/json", null);
    }

    private HttpResponse<String> launch(String app, String body, String contentType, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/" + app)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .header("x-alloverse-server", SERVER)
                .header("x-alloverse-launched-by", "{\"display_name\":\"vera\"}")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String args(String token) {
        return "{\"initialLocation\":[1,0,0,0,0,1,0,0,0,0,1,0,2,0,-3,1],\"avatarToken\":\"" + token + "\"}";
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** What the recorder with pid {@code pid} wrote about itself. */
    /** What the app process {@code name} with {@code pid} wrote down about itself, once it has. */
    private Properties recorded(String name, long pid) throws Exception {
        Path file = dir.resolve(name + ".properties");
        Waits.until(name + " (pid " + pid + ") has written its record", Duration.ofSeconds(20), Duration.ofMillis(20),
                () -> Files.exists(file) && load(file).getProperty("pid", "").equals(Long.toString(pid)));
        return load(file);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void aLaunchStartsTheAppWithThePlaceTokenArgumentsAndIdentityInItsEnvironment() throws Exception {
        Path workDir = Files.createDirectory(dir.resolve("work"));
        Map<String, Object> app = recorder("recorder");
        app.put("working_directory", workDir.toString());
        app.put("environment", Map.of("CLOCK_STYLE", "24h"));
        ListAppender<ILoggingEvent> logs = capture("dev.alloplace.gateway");
        start(List.of(app), Map.of());

        HttpResponse<String> answer = launch("recorder", args("tokenabc"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        long pid = json(answer).path("pid").asLong();
        assertThat(json(answer).path("app").asText()).isEqualTo("recorder");
        Properties env = recorded("recorder", pid);
        assertThat(env.getProperty("ALLOAPP_NAME")).isEqualTo("recorder");
        assertThat(env.getProperty("ALLOAPP_PLACE_URL")).isEqualTo(SERVER);
        assertThat(env.getProperty("ALLOAPP_AVATAR_TOKEN")).isEqualTo("tokenabc");
        assertThat(JSON.readTree(env.getProperty("ALLOAPP_ARGS")).path("initialLocation")).hasSize(16);
        assertThat(JSON.readTree(env.getProperty("ALLOAPP_LAUNCHED_BY")).path("display_name").asText()).isEqualTo("vera");
        JsonNode launch = JSON.readTree(env.getProperty("ALLOAPP_LAUNCH"));
        assertThat(launch.path("app").asText()).isEqualTo("recorder");
        assertThat(launch.path("placeUrl").asText()).isEqualTo(SERVER);
        assertThat(launch.path("avatarToken").asText()).isEqualTo("tokenabc");
        assertThat(launch.path("args").path("initialLocation").get(12).asInt()).isEqualTo(2);
        assertThat(launch.path("launchedBy").path("display_name").asText()).isEqualTo("vera");
        assertThat(env.getProperty("CLOCK_STYLE")).isEqualTo("24h");
        assertThat(env.getProperty("PATH")).isNotBlank();
        assertThat(env).as("the gateway's own environment stays with the gateway")
                .doesNotContainKeys("ALLOPLACE_GATEWAY_TOKEN", "UNRELATED");
        assertThat(Path.of(env.getProperty("cwd")).toRealPath()).isEqualTo(workDir.toRealPath());

        JsonNode running = json(get("/apps", null));
        assertThat(running).hasSize(1);
        assertThat(running.get(0).path("app").asText()).isEqualTo("recorder");
        assertThat(running.get(0).path("pid").asLong()).isEqualTo(pid);
        assertThat(running.get(0).path("place_url").asText()).isEqualTo(SERVER);
        assertThat(running.get(0).path("launched_by").path("display_name").asText()).isEqualTo("vera");

        String prefix = "recorder[" + pid + "]";
        awaitLog(logs, prefix + " out | hello from the app");
        awaitLog(logs, prefix + " err | a line on stderr");
        gateway.stop();
        awaitLog(logs, prefix + " exited with code");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void unknownAppsBadRequestsAndWrongMethodsAreClearJsonErrorsAndStartNothing() throws Exception {
        start(List.of(recorder("recorder")), Map.of("gateway.max_request_bytes", "1024"));

        assertError(launch("whiteboard", args("t1")), 404, "no such app: whiteboard");
        assertError(launch("recorder", "{not json"), 400, "the body must be a JSON object (the launch arguments)");
        assertError(launch("recorder", "[1,2]"), 400, "the body must be a JSON object (the launch arguments)");
        assertError(launch("recorder", "{\"initialLocation\":[]}"), 400, "avatarToken is missing or malformed");
        assertError(launch("recorder", args("t1"), "text/plain", null), 415, "unsupported_media_type");
        HttpResponse<String> noServer = HTTP.send(HttpRequest.newBuilder(uri("/recorder"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(args("t1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(noServer, 400, "x-alloverse-server must be the place's alloplace://host:port");
        HttpResponse<String> badIdentity = HTTP.send(HttpRequest.newBuilder(uri("/recorder"))
                .header("Content-Type", "application/json").header("x-alloverse-server", SERVER)
                .header("x-alloverse-launched-by", "not json").POST(HttpRequest.BodyPublishers.ofString(args("t1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(badIdentity, 400, "x-alloverse-launched-by must be a JSON object (the requester's identity)");
        assertError(get("/recorder", null), 405, "launch an app with POST /recorder");
        String big = "{\"avatarToken\":\"t1\",\"padding\":\"" + "x".repeat(4096) + "\"}";
        assertThat(launch("recorder", big).statusCode()).as("a body over gateway.max_request_bytes").isEqualTo(413);

        assertThat(json(get("/apps", null))).isEmpty();
        assertThat(ChildJava.running(marker)).isEmpty();
    }

    @Test
    void aBodyIsCountedAsItArrivesNeverTrustedByItsClaimedLength() throws Exception {
        start(List.of(recorder("recorder")), Map.of("gateway.max_request_bytes", "1024"));
        String head = "POST /recorder HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "x-alloverse-server: " + SERVER + "\r\n";

        assertThat(raw(head + "Content-Length: 2000000000\r\n\r\n{\"avatarToken\":")).as("a claim of 2 GB").startsWith("HTTP/1.1 413");
        String chunk = Integer.toHexString(512) + "\r\n" + "x".repeat(512) + "\r\n";
        assertThat(raw(head + "Transfer-Encoding: chunked\r\n\r\n" + chunk.repeat(4) + "0\r\n\r\n"))
                .as("2 KB in chunks, no length claimed").startsWith("HTTP/1.1 413");
        assertThat(json(get("/apps", null))).isEmpty();
    }

    /** Sends {@code request} as is and returns what the gateway answers before it closes or 5 s pass. */
    private String raw(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.address().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] answer = new byte[256];
            int n = socket.getInputStream().read(answer);
            return n <= 0 ? "" : new String(answer, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void launchesOverTheLimitsAreRefused() throws Exception {
        Map<String, Object> single = recorder("single");
        single.put("max_instances", 1);
        start(List.of(single, recorder("other")), Map.of("gateway.max_processes", "2"));

        assertThat(launch("single", args("t1")).statusCode()).isEqualTo(200);
        assertError(launch("single", args("t2")), 503, "single already runs 1 times, its limit (max_instances)");
        assertThat(launch("other", args("t3")).statusCode()).isEqualTo(200);
        assertError(launch("other", args("t4")), 503,
                "the gateway already runs 2 app processes, its limit (gateway.max_processes)");
        assertThat(json(get("/apps", null))).hasSize(2);
    }

    @Test
    void aCommandThatExitsAtOnceOrCannotStartIsAnError() throws Exception {
        Map<String, Object> quitter = new LinkedHashMap<>();
        quitter.put("name", "quitter");
        quitter.put("command", ChildJava.command(marker, "dev.alloplace.NoSuchMainClass"));
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("name", "missing");
        missing.put("command", List.of(dir.resolve("no-such-program").toString()));
        ListAppender<ILoggingEvent> logs = capture("dev.alloplace.gateway");
        start(List.of(quitter, missing), Map.of("gateway.start_check_ms", "3000"));

        assertError(launch("quitter", args("t1")), 502, "quitter exited at once (exit code 1)");
        HttpResponse<String> cannot = launch("missing", args("t2"));
        assertThat(cannot.statusCode()).isEqualTo(500);
        assertThat(json(cannot).path("error").asText()).startsWith("cannot start missing: ");

        assertThat(json(get("/apps", null))).isEmpty();
        awaitLog(logs, "err | Error: Could not find or load main class dev.alloplace.NoSuchMainClass");
    }

    @Test
    void anAppIsStoppedAtItsMaximumRunTime() throws Exception {
        Map<String, Object> brief = recorder("brief");
        brief.put("max_run_seconds", 1);
        ListAppender<ILoggingEvent> logs = capture("dev.alloplace.gateway");
        start(List.of(brief), Map.of());

        long pid = json(launch("brief", args("t1"))).path("pid").asLong();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();

        Waits.await("the brief app exits", Duration.ofSeconds(20), process.onExit());
        awaitLog(logs, "brief[" + pid + "] reached its maximum run time of 1 s; stopping it");
        awaitLog(logs, "brief[" + pid + "] exited with code");
        Waits.until("/apps lists no running app", Waits.PATIENCE, Duration.ofMillis(20),
                () -> json(get("/apps", null)).size() == 0);
        assertThat(json(get("/apps", null))).isEmpty();
    }

    @Test
    void stoppingTheGatewayStopsEveryAppAndKillsOneThatIgnoresSigterm() throws Exception {
        ListAppender<ILoggingEvent> logs = capture("dev.alloplace.gateway");
        start(List.of(recorder("polite"), recorder("stubborn", "stubborn")), Map.of());
        long polite = json(launch("polite", args("t1"))).path("pid").asLong();
        long stubborn = json(launch("stubborn", args("t2"))).path("pid").asLong();
        recorded("stubborn", stubborn);
        assertThat(ChildJava.running(marker)).hasSize(2);

        gateway.stop();

        assertThat(ChildJava.running(marker)).isEmpty();
        assertThat(ProcessHandle.of(polite).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(stubborn).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        awaitLog(logs, "stubborn[" + stubborn + "] did not stop within 1000 ms of SIGTERM; killing it");
    }

    @Test
    void theTokenGuardsEverythingButTheProbesAndMetricsCountLaunches() throws Exception {
        start(List.of(recorder("recorder")), Map.of("gateway.token", "s3cret"));

        assertThat(launch("recorder", args("t1")).statusCode()).isEqualTo(401);
        assertThat(get("/apps", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
        assertThat(ChildJava.running(marker)).isEmpty();

        assertThat(launch("recorder", args("t1"), "application/json", "s3cret").statusCode()).isEqualTo(200);
        launch("nothere", args("t2"), "application/json", "s3cret");
        String metrics = get("/metrics", "s3cret").body();
        assertThat(metrics).contains("alloplace_gateway_launches_total{app=\"recorder\",application=\"alloplace\",outcome=\"started\"} 1.0");
        assertThat(metrics).contains("alloplace_gateway_launches_total{app=\"_unknown\",application=\"alloplace\",outcome=\"unknown_app\"} 1.0");
        assertThat(metrics).contains("alloplace_gateway_processes{application=\"alloplace\"} 1.0");
        assertThat(metrics).contains("alloplace_gateway_app_processes{app=\"recorder\",application=\"alloplace\"} 1.0");
    }

    @Test
    void offLoopbackTheGatewayRefusesToStartWithoutAToken() throws Exception {
        Path catalog = dir.resolve("apps.yaml");
        YAML.writeValue(catalog.toFile(), Map.of("apps", List.of(recorder("recorder"))));
        var config = ConfigLoader.load(GatewaySettings.ALL, Map.of("gateway.bind", "0.0.0.0", "gateway.port", "0",
                "gateway.apps_file", catalog.toString()), Map.of(), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppGateway.start(config, Map.of()))
                .isInstanceOf(dev.alloplace.config.ConfigException.class)
                .hasMessageContaining("gateway.bind is 0.0.0.0")
                .hasMessageContaining("gateway.token");
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(response).path("error").asText()).isEqualTo(error);
    }

    private ListAppender<ILoggingEvent> capture(String loggerName) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(loggerName);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        captured.add(appender);
        return appender;
    }

    private static void awaitLog(ListAppender<ILoggingEvent> logs, String text) {
        Waits.until("the gateway logs \"" + text + "\"", Duration.ofSeconds(20), Duration.ofMillis(20), () -> {
            synchronized (logs) {
                return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
            }
        });
    }
}
