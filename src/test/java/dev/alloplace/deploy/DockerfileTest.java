package dev.alloplace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alloplace.admin.AdminResponse;
import dev.alloplace.admin.AdminServer;
import dev.alloplace.admin.AdminSettings;
import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Settings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No Docker engine runs on our build machines, so the Dockerfile's essentials are checked as
 * text against the build and the configuration, and its health check command is run for real
 * (with bash, as the image runs it) against a live admin endpoint.
 */
@Timeout(60)
class DockerfileTest {

    private final String dockerfile = read("Dockerfile");
    private final String unit = read("scripts/alloplace.service");

    private static String read(String name) {
        try {
            return Files.readString(Path.of(name));
        } catch (java.io.IOException e) {
            throw new AssertionError(name + " is missing", e);
        }
    }

    /** Instructions with their continuation lines joined. */
    private List<String> instructions(String keyword) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : dockerfile.lines().map(String::strip).toList()) {
            if (current == null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                current = new StringBuilder();
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String instruction = current.toString();
            current = null;
            if (instruction.startsWith(keyword + " ")) {
                out.add(instruction);
            }
        }
        return out;
    }

    @Test
    void everyBaseImageIsPinnedByTag() {
        List<String> froms = instructions("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        for (String from : froms) {
            String image = from.split("\\s+")[1];
            assertThat(image).as(from).contains(":").doesNotEndWith(":latest");
        }
    }

    @Test
    void theBuildStageResolvesPluginsAndDependenciesInOnePackageRun() {
        assertThat(instructions("RUN")).noneSatisfy(run -> assertThat(run).containsAnyOf("go-offline", " -o "));
        assertThat(instructions("RUN")).anySatisfy(run -> assertThat(run)
                .contains("--mount=type=cache,target=/root/.m2").contains("mvn -B").contains("package"));
        assertThat(dockerfile.lines().findFirst()).hasValue("# syntax=docker/dockerfile:1");
    }

    @Test
    void copiesTheJarTheBuildProduces() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).isTrue();
        assertThat(dockerfile).contains("COPY --from=build /src/target/" + finalName.group(1) + ".jar");
        assertThat(dockerfile).contains("-jar\", \"/opt/alloplace/alloplace.jar\"");
    }

    @Test
    void theBuildContextHoldsExactlyWhatTheDockerfileCopies() {
        List<String> ignore = read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore.get(0)).as("an allowlist").isEqualTo("*");
        List<String> allowed = ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        for (String copy : instructions("COPY")) {
            if (copy.contains("--from=")) {
                continue;
            }
            String[] parts = copy.split("\\s+");
            for (int i = 1; i < parts.length - 1; i++) {
                String source = parts[i].replaceFirst("/$", "");
                assertThat(Path.of(source)).as(copy).exists();
                assertThat(allowed).as(source + " is in the build context")
                        .anySatisfy(a -> assertThat(source.equals(a.replaceFirst("/$", "")) || source.startsWith(a)).isTrue());
            }
        }
        assertThat(allowed).noneSatisfy(a -> assertThat(a).startsWith("target"));
    }

    @Test
    void exposesTheDefaultPorts() {
        String udp = Settings.PORT.defaultText();
        String admin = Settings.ADMIN_PORT.defaultText();
        assertThat(instructions("EXPOSE")).anySatisfy(e -> assertThat(e).contains(udp + "/udp").contains(admin + "/tcp"));
    }

    @Test
    void noSettingIsSetByTheImageOrTheUnitSoTheConfigFileCounts() throws Exception {
        for (String env : instructions("ENV")) {
            for (String name : Settings.knownEnvironment()) {
                if (!Settings.OTHER_ENVIRONMENT.contains(name)) {
                    assertThat(env).as("the image sets no setting's variable").doesNotContain(name + "=");
                }
            }
        }
        assertThat(dockerfile).contains("ALLOPLACE_CONFIG=/etc/alloplace/alloplace.yaml")
                .contains("COPY config/alloplace.yaml config/jvm.options /etc/alloplace/");
        assertThat(unit).doesNotContainPattern("(?m)^Environment=ALLOPLACE_");
        assertThat(unit).containsPattern("(?m)^ExecStart=.* --config /etc/alloplace/alloplace\\.yaml$");
        assertThat(unit).contains("install -D -m 644 config/alloplace.yaml /etc/alloplace/alloplace.yaml");

        // What the image and the unit then run with: the example file's values, data under the working directory.
        Config image = ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_CONFIG", "ignored here"), Path.of("config", "alloplace.yaml"));
        assertThat(image.get(Settings.DATA_DIR)).isEqualTo(Path.of("data"));
        assertThat(image.source(Settings.DATA_DIR)).isEqualTo(Config.Source.FILE);
        assertThat(image.unknownEnvironment()).isEmpty();
        assertThat(dockerfile).contains("WORKDIR /var/lib/alloplace");
        assertThat(instructions("VOLUME")).anySatisfy(v -> assertThat(v).contains("/var/lib/alloplace"));
        assertThat(unit).contains("WorkingDirectory=/var/lib/alloplace").contains("StateDirectory=alloplace");
    }

    @Test
    void runsAsAnUnprivilegedUserWithAFixedUid() {
        assertThat(instructions("USER")).containsExactly("USER 10001:10001");
        assertThat(dockerfile).contains("groupadd --system --gid 10001 alloplace")
                .contains("useradd --system --uid 10001 --gid 10001");
        assertThat(unit).contains("useradd --system --uid 10001");
    }

    @Test
    void theImageAndTheUnitShipTheSameJvmFlagsFile() throws Exception {
        assertThat(Path.of("config", "jvm.options")).exists();
        assertThat(instructions("ENTRYPOINT")).containsExactly(
                "ENTRYPOINT [\"java\", \"@/etc/alloplace/jvm.options\", \"-jar\", \"/opt/alloplace/alloplace.jar\"]");
        assertThat(unit).contains("ExecStart=/usr/bin/java @/etc/alloplace/jvm.options -jar /opt/alloplace/alloplace.jar")
                .contains("install -D -m 644 config/jvm.options /etc/alloplace/jvm.options");
        assertThat(dockerfile).contains("JDK_JAVA_OPTIONS=-Xmx512m");
        assertThat(unit).contains("Environment=JDK_JAVA_OPTIONS=-Xmx512m");
        List<String> flags = Files.readAllLines(Path.of("config", "jvm.options")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(flags).contains("-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-XX:+ExplicitGCInvokesConcurrent",
                "-XX:MaxHeapFreeRatio=30", "-XX:TrimNativeHeapInterval=5000", "-Xms16m",
                "-XX:CompileThresholdScaling=0.25").noneMatch(f -> f.startsWith("-Xmx"));
        for (String script : List.of("scripts/bench", "scripts/soak", "scripts/memory")) {
            assertThat(read(script)).as(script).contains("@config/jvm.options");
        }
    }

    @Test
    void thisJdkAcceptsEveryShippedFlag() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@config/jvm.options", "-Xmx512m", "-version").redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContain("Unrecognized");
    }

    @Test
    void aConfigErrorIsNotRestartedBySystemd() {
        assertThat(unit).contains("Restart=on-failure").containsPattern("(?m)^RestartPreventExitStatus=2$");
    }

    /** The HEALTHCHECK's command, as Docker would run it: exec form, a JSON array. */
    private List<String> healthcheckCommand() throws Exception {
        List<String> checks = instructions("HEALTHCHECK");
        assertThat(checks).hasSize(1);
        String json = checks.get(0).substring(checks.get(0).indexOf("CMD [") + 4);
        List<String> command = List.of(new ObjectMapper().readValue(json, String[].class));
        assertThat(command.get(0)).as("no JVM per check").isEqualTo("bash");
        assertThat(String.join(" ", command)).contains("/readyz").doesNotContain("java");
        return command;
    }

    private static int runCheck(List<String> command, Integer adminPort) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ALLOPLACE_"));
        if (adminPort != null) {
            builder.environment().put("ALLOPLACE_ADMIN_PORT", adminPort.toString());
        }
        Process check = builder.start();
        assertThat(check.waitFor(10, TimeUnit.SECONDS)).as("the check ends by itself").isTrue();
        return check.exitValue();
    }

    @Test
    void theHealthCheckPassesOnlyWhileTheServerIsReady() throws Exception {
        List<String> command = healthcheckCommand();
        assertThat(String.join(" ", command)).contains("${ALLOPLACE_ADMIN_PORT:-" + Settings.ADMIN_PORT.defaultText() + "}");
        AtomicBoolean ready = new AtomicBoolean(false);
        AdminServer admin = new AdminServer(new AdminSettings(InetAddress.getLoopbackAddress(), 0, "secret-token"))
                .route("/readyz", request -> CompletableFuture.completedFuture(ready.get()
                        ? AdminResponse.text(200, "ready\n") : AdminResponse.text(503, "not ready\n")));
        InetSocketAddress at = admin.start();
        try {
            assertThat(runCheck(command, at.getPort())).as("not ready yet").isNotZero();
            ready.set(true);
            assertThat(runCheck(command, at.getPort())).as("ready, with a token configured too").isZero();
        } finally {
            admin.close();
        }
        assertThat(runCheck(command, at.getPort())).as("nothing listening").isNotZero();
    }

    @Test
    void composeExampleUsesTheSamePortAndVolume() {
        String compose = read("docker-compose.yml");
        assertThat(compose).contains(Settings.PORT.defaultText() + ":" + Settings.PORT.defaultText() + "/udp")
                .contains(":/var/lib/alloplace");
    }
}
