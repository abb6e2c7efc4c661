package dev.alloplace.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import dev.alloplace.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgonesSettingsTest {

    private static final Map<String, String> SIDECAR = Map.of("AGONES_SDK_HTTP_PORT", "9411", "AGONES_SDK_GRPC_PORT", "9410");

    private static Config config(Map<String, String> settings) throws ConfigException {
        return ConfigLoader.load(settings, Map.of(), null);
    }

    @Test
    void offByDefaultEvenBesideASidecar() throws Exception {
        assertThat(AgonesSettings.from(config(Map.of()), SIDECAR).enabled()).isFalse();
        assertThat(Fleet.from(config(Map.of()), SIDECAR)).isSameAs(Fleet.NONE);
    }

    @Test
    void autoFollowsTheSidecarsVariables() throws Exception {
        Config auto = config(Map.of("fleet.agones", "auto"));

        AgonesSettings inPod = AgonesSettings.from(auto, SIDECAR);
        assertThat(inPod.enabled()).isTrue();
        assertThat(inPod.sdkBase()).hasToString("http://localhost:9411/");
        assertThat(AgonesSettings.from(auto, Map.of()).enabled()).isFalse();
        assertThat(AgonesSettings.from(auto, Map.of("AGONES_SDK_GRPC_PORT", "9357")).sdkBase())
                .hasToString("http://localhost:9358/");
    }

    @Test
    void onWithoutTheVariablesUsesAgonesDefaultPortAndAnExplicitPortWins() throws Exception {
        assertThat(AgonesSettings.from(config(Map.of("fleet.agones", "on")), Map.of()).sdkBase())
                .hasToString("http://localhost:9358/");
        assertThat(AgonesSettings.from(config(Map.of("fleet.agones", "on", "fleet.sdk_http_port", "7000")), SIDECAR)
                .sdkBase()).hasToString("http://localhost:7000/");
        assertThat(AgonesSettings.from(config(Map.of("fleet.agones", "on")), Map.of("AGONES_SDK_HTTP_PORT", "nope"))
                .sdkBase()).hasToString("http://localhost:9358/");
    }

    @Test
    void yamlBooleansMeanOnAndOff(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path on = java.nio.file.Files.writeString(dir.resolve("on.yaml"), "fleet:\n  agones: on\n");
        java.nio.file.Path off = java.nio.file.Files.writeString(dir.resolve("off.yaml"), "fleet:\n  agones: off\n");

        assertThat(AgonesSettings.from(ConfigLoader.load(Map.of(), Map.of(), on), Map.of()).enabled()).isTrue();
        assertThat(AgonesSettings.from(ConfigLoader.load(Map.of(), Map.of(), off), SIDECAR).enabled()).isFalse();
    }

    @Test
    void defaultsAreThoseTheDeploymentFilesAssume() throws Exception {
        AgonesSettings s = AgonesSettings.from(config(Map.of("fleet.agones", "on")), Map.of());

        assertThat(s.healthInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.emptyShutdown()).isZero();
        assertThat(s.players()).isEqualTo(AgonesSettings.PlayerReporting.LIST);
        assertThat(s.playersKey()).isEqualTo("players");
        assertThat(s.problem()).isNull();
    }

    @Test
    void aPlayersKeyThatCannotStandInAPathIsRefusedAtStartup() throws Exception {
        Config bad = config(Map.of("fleet.agones", "on", "fleet.players_key", "my/players"));

        assertThat(AgonesSettings.from(bad, Map.of()).problem()).contains("fleet.players_key");
        assertThatThrownBy(() -> Fleet.from(bad, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(AgonesSettings.from(config(Map.of("fleet.players_key", "my/players")), Map.of()).problem())
                .as("irrelevant while off").isNull();
    }
}
