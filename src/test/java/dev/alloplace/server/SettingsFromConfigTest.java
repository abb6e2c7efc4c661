package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.alloplace.acl.AclEffect;
import dev.alloplace.acl.AclSettings;
import dev.alloplace.admin.AdminSettings;
import dev.alloplace.apps.LaunchSettings;
import dev.alloplace.assets.AssetSettings;
import dev.alloplace.config.Config;
import dev.alloplace.config.Setting;
import dev.alloplace.config.SettingType;
import dev.alloplace.config.Settings;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.place.PlaceSettings;
import dev.alloplace.pubsub.PubSubSettings;
import dev.alloplace.state.StateSettings;
import dev.alloplace.testing.TestConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog is the one source of every setting's default and range; each package's settings follow it. */
class SettingsFromConfigTest {

    /** Builds every package's settings from {@code config}, as the server does. */
    private static void buildAll(Config config) {
        PlaceSettings.from(config);
        EnetSettings.from(config);
        StateSettings.from(config);
        AclSettings.from(config);
        PubSubSettings.from(config);
        LaunchSettings.from(config);
        AssetSettings.from(config);
        AdminSettings.from(config);
    }

    @Test
    void everyNumberTheCatalogAcceptsIsAcceptedByTheSettingsItFeeds() {
        for (Setting<?> setting : Settings.ALL) {
            List<Long> bounds = setting.type() instanceof SettingType.IntRange range ? List.of(range.min(), range.max())
                    : setting.type() instanceof SettingType.LongRange range ? List.of(range.min(), range.max())
                    : List.of();
            for (long bound : bounds) {
                Config config = TestConfig.of(setting.key(), bound);
                assertThatCode(() -> buildAll(config)).as(setting.key() + " = " + bound).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void theDefaultsOfEveryPackageAreTheCatalogs() {
        PlaceSettings place = PlaceSettings.defaults();
        assertThat(place.heartbeatHz()).isEqualTo(Settings.HEARTBEAT_HZ.defaultValue());
        assertThat(place.name()).isEqualTo(Settings.PLACE_NAME.defaultValue());
        assertThat(place.requestTimeout()).isEqualTo(Duration.ofMillis(Settings.REQUEST_TIMEOUT_MS.defaultValue()));
        assertThat(place.worldLimits().maxWorldBytes()).isEqualTo(Settings.MAX_WORLD_BYTES.defaultValue());
        assertThat(place.fairShare().sliceUnits()).isEqualTo(Settings.AGENT_SLICE.defaultValue());
        assertThat(place.readiness().maxBacklogMessages()).isEqualTo(Settings.READY_MAX_BACKLOG.defaultValue());
        EnetSettings enet = EnetSettings.defaults();
        assertThat(enet.port()).isEqualTo(Settings.PORT.defaultValue());
        assertThat(enet.maxPeersPerAddress()).isEqualTo(Settings.MAX_PEERS_PER_ADDRESS.defaultValue());
        assertThat(enet.maxWaitingBytes()).isEqualTo(Settings.MAX_REASSEMBLY_BYTES_PER_PEER.defaultValue());
        assertThat(StateSettings.defaults().historyLength()).isEqualTo(Settings.STATE_HISTORY.defaultValue());
        assertThat(AclSettings.defaults().maxRules()).isEqualTo(Settings.ACL_MAX_RULES.defaultValue());
        assertThat(AclSettings.defaults().defaultPolicy()).isEqualTo(AclEffect.ALLOW);
        assertThat(PubSubSettings.defaults().maxSubscriptionsPerAgent()).isEqualTo(Settings.MAX_SUBSCRIPTIONS.defaultValue());
        assertThat(AssetSettings.defaults().maxStoreBytes()).isEqualTo(Settings.ASSET_STORE_BYTES.defaultValue());
    }

    @Test
    void aConfiguredValueReachesTheSettingsOfItsPackage() {
        Config config = TestConfig.of("place.heartbeat_hz", 240, "server.max_newcomers", 7, "place.state_history", 9,
                "acl.default_policy", "deny", "place.max_subscriptions_per_agent", 3, "assets.max_assembly_bytes_per_agent",
                2 << 20, "place.launch_max_pending_per_agent", 5, "place.agent_backlog_grace_ms", 0);
        assertThat(PlaceSettings.from(config).heartbeatHz()).isEqualTo(240);
        assertThat(PlaceSettings.from(config).fairShare().backlogGrace()).isZero();
        assertThat(EnetSettings.from(config).maxNewcomers()).isEqualTo(7);
        assertThat(StateSettings.from(config).historyLength()).isEqualTo(9);
        assertThat(AclSettings.from(config).defaultPolicy()).isEqualTo(AclEffect.DENY);
        assertThat(PubSubSettings.from(config).maxSubscriptionsPerAgent()).isEqualTo(3);
        assertThat(AssetSettings.from(config).maxAssetBytes()).as("an agent's uploads cap the largest asset")
                .isEqualTo(2 << 20);
        assertThat(LaunchSettings.from(config).maxPendingPerAgent()).isEqualTo(5);
    }
}
