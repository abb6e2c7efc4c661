package dev.alloplace.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app catalog is checked whole at startup; each mistake is named with its app and key. */
class GatewayCatalogTest {

    @TempDir
    Path dir;

    private AppCatalog read(String yaml) throws Exception {
        Path file = dir.resolve("apps.yaml");
        Files.writeString(file, yaml);
        return AppCatalog.read(file, 4, Duration.ofHours(24));
    }

    private void refused(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void anAppHasAnArgvCommandAndOptionalDirectoryEnvironmentAndLimits() throws Exception {
        AppCatalog catalog = read("""
                apps:
                  - name: clock
                    command: [java, -jar, "/opt/alloplace/alloplace.jar", example-app]
                    working_directory: %s
                    environment: {CLOCK_STYLE: 24h, DEPTH: 3}
                    max_instances: 2
                    max_run_seconds: 3600
                  - name: whiteboard
                    command: ["/usr/bin/whiteboard"]
                """.formatted(dir));
        AppSpec clock = catalog.app("clock").orElseThrow();
        assertThat(clock.command()).containsExactly("java", "-jar", "/opt/alloplace/alloplace.jar", "example-app");
        assertThat(clock.workingDirectory()).contains(dir);
        assertThat(clock.environment()).containsEntry("CLOCK_STYLE", "24h").containsEntry("DEPTH", "3");
        assertThat(clock.maxInstances()).isEqualTo(2);
        assertThat(clock.maxRunTime()).isEqualTo(Duration.ofHours(1));
        AppSpec whiteboard = catalog.app("whiteboard").orElseThrow();
        assertThat(whiteboard.maxInstances()).as("the gateway's default").isEqualTo(4);
        assertThat(whiteboard.maxRunTime()).isEqualTo(Duration.ofHours(24));
        assertThat(catalog.names()).containsExactlyInAnyOrder("clock", "whiteboard");
    }

    @Test
    void aShellStringIsNotACommand() {
        refused("apps:\n  - name: clock\n    command: \"java -jar app.jar; rm -rf /\"\n",
                "app #1 (clock): command must be a list of arguments, e.g. [java, -jar, app.jar], not a shell string");
    }

    @Test
    void everyMistakeIsNamed() {
        refused("apps:\n  - name: clock\n    command: [x]\n    comand: [y]\n", "app #1 (clock): unknown key comand");
        refused("apps:\n  - name: Clock!\n    command: [x]\n", "app #1: name must be 1-64 lower-case letters");
        refused("apps:\n  - name: apps\n    command: [x]\n", "not one of [apps, healthz, metrics, readyz]");
        refused("apps:\n  - name: a\n    command: [x]\n  - name: a\n    command: [y]\n", "lists the app a twice");
        refused("apps:\n  - name: a\n    command: []\n", "command must be a list of 1 to 256 arguments");
        refused("apps:\n  - name: a\n    command: [[x]]\n", "every command argument must be a text");
        refused("apps:\n  - name: a\n    command: [x]\n    environment: {ALLOAPP_PLACE_URL: x}\n",
                "must be letters, digits and '_' and not start with ALLOAPP_");
        refused("apps:\n  - name: a\n    command: [x]\n    working_directory: " + dir.resolve("missing") + "\n",
                "working_directory must name an existing directory");
        refused("apps:\n  - name: a\n    command: [x]\n    max_instances: 0\n", "max_instances must be an integer from 1 to 4096");
        refused("apps:\n  - name: a\n    command: [x]\n    max_run_seconds: -1\n", "max_run_seconds must be an integer");
        refused("- name: a\n  command: [x]\n", "must hold one key, apps, with a list of apps");
        refused("apps: [\n", "is not valid YAML");
    }

    @Test
    void aMissingCatalogSaysWhereToSetIt() {
        assertThatThrownBy(() -> AppCatalog.read(dir.resolve("none.yaml"), 4, Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist (set gateway.apps_file or --apps)");
    }

    @Test
    void theExampleCatalogIsValid() throws Exception {
        AppCatalog catalog = AppCatalog.read(Path.of("config", "apps.yaml"), 4, Duration.ZERO);
        assertThat(catalog.app("clock").orElseThrow().command()).contains("example-app");
        assertThat(List.copyOf(catalog.names())).contains("clock");
    }
}
