package dev.alloplace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.acl.AccessControl;
import dev.alloplace.acl.AclFile;
import dev.alloplace.acl.AclSettings;
import dev.alloplace.apps.AppLauncher;
import dev.alloplace.apps.LaunchSettings;
import dev.alloplace.assets.AssetExchange;
import dev.alloplace.assets.AssetSettings;
import dev.alloplace.assets.AssetStore;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.inspector.PlaceWatch;
import dev.alloplace.media.MediaRelay;
import dev.alloplace.media.MediaSettings;
import dev.alloplace.persist.PersistenceException;
import dev.alloplace.persist.PlacePersistence;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.pubsub.PubSubSettings;
import dev.alloplace.pubsub.Publications;
import dev.alloplace.sim.SimSettings;
import dev.alloplace.sim.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard features of a place, each made from its own settings in the configuration: the
 * ACL, subscriptions, simulation, media, persistence, {@code launch_app} and assets, in the order
 * the place consults them (and the inspector's watch last). The server keeps the few it reports on or talks to afterwards.
 */
final class PlaceFeatures {

    final AccessControl accessControl;
    final MediaRelay media;
    final AppLauncher launcher;
    final AssetStore assetStore;
    private final PlaceWatch watch;
    private final List<PlaceExtension> extensions = new ArrayList<>();

    /** @throws ServerStartException when the ACL, the saved place or the asset store cannot be opened */
    PlaceFeatures(Config config, Path dataDir, PlaceWatch watch) throws ServerStartException {
        this.watch = watch;
        accessControl = accessControl(config, dataDir, watch);
        extensions.add(accessControl);
        extensions.add(new Publications(PubSubSettings.from(config)));
        extensions.add(new Simulation(SimSettings.defaults()));
        media = new MediaRelay(MediaSettings.defaults());
        extensions.add(media);
        extensions.add(persistence(config, dataDir));
        launcher = new AppLauncher(LaunchSettings.from(config));
        extensions.add(launcher);
        AssetSettings assets = AssetSettings.from(config);
        assetStore = assetStore(dataDir, assets);
        extensions.add(new AssetExchange(assetStore, assets));
    }

    /** These features, then {@code more} (the caller's and the fleet's), then the inspector's watch if any. */
    List<PlaceExtension> extensions(List<PlaceExtension> more) {
        List<PlaceExtension> all = new ArrayList<>(extensions);
        all.addAll(more);
        if (watch != null) {
            all.add(watch);
        }
        return all;
    }

    private static AccessControl accessControl(Config config, Path dataDir, PlaceWatch watch) throws ServerStartException {
        try {
            return new AccessControl(AclSettings.from(config), new AclFile(dataDir.resolve("acl.json")),
                    readRules(config.get(Settings.ACL_RULES_FILE).orElse(null)), config.get(Settings.ACL_OWNER_KEYS),
                    watch == null ? (place, agent, interaction, rule) -> { } : watch.denials());
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot load the ACL: " + e.getMessage(), true, e);
        }
    }

    private static JsonNode readRules(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ACL rules from " + file + ": " + e.getMessage(), e);
        }
    }

    private static PlacePersistence persistence(Config config, Path dataDir) throws ServerStartException {
        try {
            return new PlacePersistence(dataDir.resolve("place.json"), config.get(Settings.ENTITIES_FILE).orElse(null));
        } catch (PersistenceException e) {
            throw new ServerStartException(e.getMessage(), true, e);
        }
    }

    private static AssetStore assetStore(Path dataDir, AssetSettings settings) throws ServerStartException {
        try {
            return new AssetStore(dataDir.resolve("assets"), settings);
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot open the asset store under " + dataDir + ": " + e.getMessage(), true, e);
        }
    }
}
