package dev.alloplace.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.StandInAgonesSdk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in a pod's shoes: the sidecar's variable in its environment, {@code auto} in
 * its settings, and SIGTERM from Kubernetes at the end.
 */
@Timeout(60)
class AgonesDaemonIT {

    @TempDir
    Path dataDir;

    private Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void aDaemonBesideTheSidecarSaysReadyAndOnSigtermShutdown() throws Exception {
        try (StandInAgonesSdk sdk = StandInAgonesSdk.start()) {
            Path jar = Path.of(System.getProperty("alloplace.jar", "target/alloplace.jar"));
            assertThat(jar).as("the packaged jar (run through `mvn verify`)").exists();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1",
                    "--data-dir", dataDir.toString()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("ALLOPLACE_") || k.startsWith("AGONES_"));
            pb.environment().put("ALLOPLACE_FLEET_AGONES", "auto");
            pb.environment().put("AGONES_SDK_HTTP_PORT", Integer.toString(sdk.port()));
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "daemon-output");
            reader.setDaemon(true);
            reader.start();

            assertThat(sdk.awaitRequest(r -> r.is("POST", "/ready"), Duration.ofSeconds(30))).as(String.join("\n", output))
                    .isPresent();
            assertThat(sdk.await(() -> sdk.count("POST", "/health") >= 1, Duration.ofSeconds(10))).isTrue();
            assertThat(sdk.count("POST", "/shutdown")).isZero();

            process.destroy(); // SIGTERM, as the kubelet sends it

            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
            assertThat(sdk.count("POST", "/shutdown")).as("Shutdown told before the daemon exited").isEqualTo(1);
            assertThat(sdk.state()).isEqualTo("Shutdown");
            assertThat(sdk.violations()).isEmpty();
        }
    }
}
