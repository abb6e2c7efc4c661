package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One download runs a place and its apps: the packaged jar started three ways (place, gateway,
 * and by the gateway the example app), launch_app from a client, then SIGTERM to the gateway,
 * which must exit 0 and take the app with it.
 */
@Timeout(120)
class GatewayJarIT {

    private static final Pattern GATEWAY = Pattern.compile("app gateway on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern PLACE = Pattern.compile("on udp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern APP = Pattern.compile("started clock\\[(\\d+)\\]");
    private static final String TOKEN = "jar-test-token";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, Thread> readers = new java.util.HashMap<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        Path jar = Path.of(System.getProperty("alloplace.jar", "target/alloplace.jar"));
        assertThat(jar).as("the packaged jar (run through `mvn verify`)").exists();
        return jar.toAbsolutePath().toString();
    }

    private Process start(List<String> output, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-jar", jar()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ALLOPLACE_") || k.startsWith("ALLOAPP_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        readers.put(process, reader);
        return process;
    }

    private static int await(Pattern pattern, List<String> output, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String line : output) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            }
            assertThat(process.isAlive()).as("still running; output: " + output).isTrue();
            Waits.wallClock(Duration.ofMillis(50), "another process's output is read as it comes");
        }
        throw new AssertionError("never logged " + pattern + "; output: " + output);
    }

    @Test
    void theJarRunsAPlaceAGatewayAndTheExampleAppAndSigtermStopsTheGatewayAndItsApp() throws Exception {
        Path catalog = dir.resolve("apps.yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(catalog.toFile(), Map.of("apps", List.of(Map.of("name", "clock",
                "command", List.of(java(), "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar(), "example-app")))));
        List<String> gatewayOut = Collections.synchronizedList(new ArrayList<>());
        Process gateway = start(gatewayOut, Map.of("ALLOPLACE_GATEWAY_TOKEN", TOKEN), "gateway", "--port", "0",
                "--apps", catalog.toString());
        int gatewayPort = await(GATEWAY, gatewayOut, gateway);

        List<String> placeOut = Collections.synchronizedList(new ArrayList<>());
        Process place = start(placeOut, Map.of("ALLOPLACE_LAUNCH_GATEWAYS", "http://127.0.0.1:" + gatewayPort + "/",
                "ALLOPLACE_LAUNCH_GATEWAY_TOKEN", TOKEN, "ALLOPLACE_HOST", "127.0.0.1"),
                "--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1", "--data-dir", dir.resolve("data").toString());
        int placePort = await(PLACE, placeOut, place);

        try (AlloClientHost clients = AlloClientHost.start(new EnetTransport(EnetSettings.loopbackClient()))) {
            AlloClient visor = Waits.await("vera connects", clients.connect(new InetSocketAddress("127.0.0.1", placePort),
                    ClientOptions.defaults("vera").withRequestTimeout(Duration.ofSeconds(90))));
            Waits.await("vera's announce is answered", visor.announce());
            ArrayNode answer = Waits.await("the clock app is launched", Duration.ofSeconds(90), visor.request("place",
                    Interaction.body("launch_app", "alloapp:http://127.0.0.1:" + gatewayPort + "/clock")));
            assertThat(answer.path(1).asText()).as(answer + "; gateway: " + gatewayOut).isEqualTo("ok");
            String appAvatar = answer.path(2).asText();
            Waits.await("vera's mirror has the app's avatar", Duration.ofSeconds(20),
                    visor.awaitState(entities -> entities.containsKey(appAvatar)));
            long pid = await(APP, gatewayOut, gateway);
            ProcessHandle app = ProcessHandle.of(pid).orElseThrow();
            assertThat(app.isAlive()).isTrue();
            await(Pattern.compile("clock\\[" + pid + "\\] out \\| .*the clock is up in alloplace://127\\.0\\.0\\.1:("
                    + placePort + ")"), gatewayOut, gateway);

            gateway.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)

            assertThat(gateway.waitFor(15, TimeUnit.SECONDS)).as("the gateway exits; output: " + gatewayOut).isTrue();
            assertThat(gateway.exitValue()).as("exit code; output: " + gatewayOut).isZero();
            assertThat(app.isAlive()).as("the app went with the gateway").isFalse();
            Waits.await("vera's mirror has no app avatar", Duration.ofSeconds(20),
                    visor.awaitState(entities -> !entities.containsKey(appAvatar)));
            readers.get(gateway).join(5_000);
            synchronized (gatewayOut) {
                assertThat(String.join("\n", gatewayOut)).contains("clock[" + pid + "] exited with code");
            }
        }
        place.destroy();
        assertThat(place.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
