package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.config.Config;
import dev.alloplace.gateway.GatewaySettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code alloplace gateway} and {@code alloplace example-app} on the command line. */
class GatewayCommandTest {

    @TempDir
    Path dir;

    private static String run(int expectedExit, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertThat(cli.execute(args)).isEqualTo(expectedExit);
        return out.toString();
    }

    private static GatewayCommand parse(String... args) {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (GatewayCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void helpListsAFlagForEveryGatewaySettingThatHasOne() {
        String help = run(0, "gateway", "--help");
        GatewaySettings.ALL.forEach(s -> s.flag().ifPresent(f -> assertThat(help).contains("--" + f)));
        assertThat(help).contains("--config").contains("ALLOPLACE_GATEWAY_");
        assertThat(run(0, "--help")).contains("gateway").contains("example-app");
        assertThat(run(0, "example-app", "--help")).contains("PLACE_URL").contains("ALLOAPP_PLACE_URL");
    }

    @Test
    void settingsComeFromFlagsThenEnvironmentThenTheFileNamedByTheEnvironment() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "gateway:\n  port: 4000\n  max_processes: 3\n  apps_file: /etc/apps.yaml\n");
        Map<String, String> env = Map.of("ALLOPLACE_GATEWAY_CONFIG", file.toString(), "ALLOPLACE_GATEWAY_MAX_PROCESSES", "5");
        Config config = parse("gateway", "--port", "4100").configure(env, System.err);
        assertThat(config.get(GatewaySettings.PORT)).isEqualTo(4100);
        assertThat(config.get(GatewaySettings.MAX_PROCESSES)).isEqualTo(5);
        assertThat(config.get(GatewaySettings.APPS_FILE)).isEqualTo(Path.of("/etc/apps.yaml"));
        assertThat(config.get(GatewaySettings.BIND).isLoopbackAddress()).as("loopback by default").isTrue();
    }

    @Test
    void aPlaceSettingIsNotAGatewaySettingAndABadValueIsOneLine() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "server:\n  port: 4000\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(parse("gateway", "--config", file.toString()).configure(Map.of(),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("alloplace gateway: unknown key server");
        err.reset();
        assertThat(parse("gateway", "--port", "70000").configure(Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("alloplace gateway: invalid value for gateway.port (from --port): 70000 is out of range; "
                        + "accepted: an integer from 0 to 65535" + System.lineSeparator());
    }

    @Test
    void theExampleAppNeedsAPlace() {
        assertThat(run(2, "example-app", "http://not-a-place"))
                .contains("alloplace example-app: a place URL looks like alloplace://host:port, not http://not-a-place");
    }

    @Test
    void theDocsTheExampleFileAndTheDeploymentFilesNameRealGatewaySettings() throws Exception {
        String docs = Files.readString(Path.of("docs", "configuration.md"));
        String example = Files.readString(Path.of("config", "gateway.yaml"));
        for (var s : GatewaySettings.ALL) {
            assertThat(docs).as("docs mention " + s.key()).contains("`" + s.key() + "`").contains(s.env());
            assertThat(example).as("example mentions " + s.key()).contains(s.key().substring(s.key().lastIndexOf('.') + 1) + ":");
        }
        Config fromExample = dev.alloplace.config.ConfigLoader.load(GatewaySettings.ALL, Map.of(), Map.of(),
                Path.of("config", "gateway.yaml"));
        assertThat(fromExample.get(GatewaySettings.PORT)).isEqualTo(21339);

        var compose = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("docker-compose.apps.yml").toFile()).path("services");
        java.util.Set<String> known = new java.util.HashSet<>();
        dev.alloplace.config.Settings.ALL.forEach(s -> known.add(s.env()));
        GatewaySettings.ALL.forEach(s -> known.add(s.env()));
        compose.forEach(service -> service.path("environment").fieldNames()
                .forEachRemaining(name -> assertThat(known).as("compose sets " + name).contains(name)));
        java.util.List<String> command = new java.util.ArrayList<>();
        compose.path("gateway").path("command").forEach(arg -> command.add(arg.asText()));
        assertThat(parse(command.toArray(String[]::new)).bind).isEqualTo("0.0.0.0");
        java.util.List<String> check = new java.util.ArrayList<>();
        compose.path("gateway").path("healthcheck").path("test").forEach(arg -> check.add(arg.asText()));
        assertThat(check).as("the gateway's health check starts no JVM").doesNotContain("java").startsWith("CMD", "bash");
        assertThat(String.join(" ", check)).contains("/dev/tcp/127.0.0.1/" + GatewaySettings.PORT.defaultValue())
                .contains("GET /readyz");

        String unit = Files.readString(Path.of("scripts", "alloplace-gateway.service"));
        String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        String[] args = execStart.substring(execStart.indexOf("alloplace.jar ") + "alloplace.jar ".length()).split(" ");
        assertThat(parse(args).configFile).isEqualTo(Path.of("/etc/alloplace/gateway.yaml"));
    }
}
