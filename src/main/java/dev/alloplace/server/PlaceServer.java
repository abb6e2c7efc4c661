package dev.alloplace.server;

import dev.alloplace.acl.AccessControl;
import dev.alloplace.acl.AclEffect;
import dev.alloplace.acl.AclFile;
import dev.alloplace.acl.AclSettings;
import dev.alloplace.admin.AdminServer;
import dev.alloplace.pubsub.PubSubSettings;
import dev.alloplace.pubsub.Publications;
import dev.alloplace.admin.AdminSettings;
import dev.alloplace.admin.HealthRoutes;
import dev.alloplace.admin.Metrics;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.fleet.Fleet;
import dev.alloplace.identity.IdentitySettings;
import dev.alloplace.identity.KeyFile;
import dev.alloplace.identity.PlaceIdentity;
import dev.alloplace.inspector.InspectorApi;
import dev.alloplace.inspector.InspectorRoutes;
import dev.alloplace.inspector.InspectorSettings;
import dev.alloplace.inspector.PlaceWatch;
import dev.alloplace.place.Place;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceSettings;
import dev.alloplace.place.FairShare;
import dev.alloplace.place.Readiness;
import dev.alloplace.place.WorldLimits;
import dev.alloplace.apps.AppLauncher;
import dev.alloplace.apps.LaunchSettings;
import dev.alloplace.assets.AssetExchange;
import dev.alloplace.assets.AssetSettings;
import dev.alloplace.assets.AssetStore;
import dev.alloplace.media.MediaRelay;
import dev.alloplace.persist.PersistenceException;
import dev.alloplace.persist.PlacePersistence;
import dev.alloplace.media.MediaSettings;
import dev.alloplace.sim.SimSettings;
import dev.alloplace.sim.Simulation;
import dev.alloplace.state.StateSettings;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server wired from a configuration: ENet transport, place loop, metrics and the
 * admin endpoint. The daemon and the end-to-end tests start it the same way.
 */
public final class PlaceServer {

    private static final Logger log = LoggerFactory.getLogger(PlaceServer.class);

    private final Place place;
    private final Transport transport;
    private final Metrics metrics;
    private final AdminServer admin;
    private final InetSocketAddress udpAddress;
    private final InetSocketAddress adminAddress;
    private final Fleet fleet;

    private PlaceServer(Place place, Transport transport, Metrics metrics, AdminServer admin,
            InetSocketAddress udpAddress, InetSocketAddress adminAddress, Fleet fleet) {
        this.place = place;
        this.transport = transport;
        this.metrics = metrics;
        this.admin = admin;
        this.udpAddress = udpAddress;
        this.adminAddress = adminAddress;
        this.fleet = fleet;
    }

    public static PlaceServer start(Config config) throws ServerStartException {
        return start(config, List.of());
    }

    /** Starts with the standard features (simulation) plus {@code extra} extensions. */
    public static PlaceServer start(Config config, List<PlaceExtension> extra) throws ServerStartException {
        return start(config, extra, EnetTransport::new);
    }

    /**
     * As {@link #start(Config, List)}, on a transport made from the configured ENet settings:
     * the real {@link EnetTransport} in production, an in-memory twin where tests and fuzzers
     * want the whole place without sockets.
     */
    public static PlaceServer start(Config config, List<PlaceExtension> extra,
            java.util.function.Function<EnetSettings, Transport> transports) throws ServerStartException {
        return start(config, extra, transports, System::nanoTime);
    }

    /** As above, with the place loop on {@code clock} (nanoseconds): tests step it instead of sleeping. */
    public static PlaceServer start(Config config, List<PlaceExtension> extra,
            java.util.function.Function<EnetSettings, Transport> transports, java.util.function.LongSupplier clock)
            throws ServerStartException {
        // Checked before anything is created: a refused start leaves no data directory behind.
        AdminSettings adminSettings = AdminSettings.from(config);
        boolean adminEnabled = config.get(Settings.ADMIN_PORT) >= 0;
        if (adminEnabled && adminSettings.problem() != null) {
            throw new ServerStartException(adminSettings.problem(), true, null);
        }
        List<PlaceExtension> extensions = new java.util.ArrayList<>();
        try {
            java.nio.file.Files.createDirectories(config.get(Settings.DATA_DIR));
        } catch (java.io.IOException e) {
            throw new ServerStartException("cannot create the data directory " + config.get(Settings.DATA_DIR) + ": "
                    + e.getMessage(), true, e);
        }
        KeyFile.Loaded placeKey;
        java.nio.file.Path keyFile = config.get(Settings.DATA_DIR).resolve(KeyFile.PLACE_KEY_FILE);
        try {
            placeKey = KeyFile.loadOrCreate(keyFile);
        } catch (java.io.IOException e) {
            throw new ServerStartException("cannot load the place's key: " + e.getMessage()
                    + " (the place's identity is this key: restore the file rather than delete it)", true, e);
        }
        log.atInfo().addKeyValue("public_key", placeKey.key().publicKeyText()).log("{} the place key {} ({})",
                placeKey.created() ? "created" : "loaded", placeKey.key().publicKeyText(), keyFile);
        // What the inspector keeps of the place's recent past; nothing without an admin endpoint to show it.
        PlaceWatch watch = adminEnabled ? new PlaceWatch(InspectorSettings.from(config), java.time.Clock.systemUTC()) : null;
        AccessControl accessControl;
        try {
            AclSettings defaults = AclSettings.defaults();
            accessControl = new AccessControl(new AclSettings(config.get(Settings.ACL_MAX_RULES),
                    AclEffect.parse(config.get(Settings.ACL_DEFAULT_POLICY)).orElseThrow(), defaults.guardLimits()),
                    new AclFile(config.get(Settings.DATA_DIR).resolve("acl.json")),
                    readRules(config.get(Settings.ACL_RULES_FILE).orElse(null)), config.get(Settings.ACL_OWNER_KEYS),
                    watch == null ? (place, agent, interaction, rule) -> { } : watch.denials());
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot load the ACL: " + e.getMessage(), true, e);
        }
        extensions.add(accessControl);
        extensions.add(new Publications(new PubSubSettings(config.get(Settings.MAX_SUBSCRIPTIONS),
                PubSubSettings.defaults().guardLimits(), config.get(Settings.MAX_MATCH_STEPS_PER_PUBLICATION))));
        extensions.add(new Simulation(SimSettings.defaults()));
        MediaRelay media = new MediaRelay(MediaSettings.defaults());
        extensions.add(media);
        try {
            extensions.add(new PlacePersistence(config.get(Settings.DATA_DIR).resolve("place.json"),
                    config.get(Settings.ENTITIES_FILE).orElse(null)));
        } catch (PersistenceException e) {
            throw new ServerStartException(e.getMessage(), true, e);
        }
        AppLauncher launcher = new AppLauncher(new LaunchSettings(config.get(Settings.PUBLIC_HOST),
                config.get(Settings.PUBLIC_PORT), config.get(Settings.LAUNCH_GATEWAYS),
                config.get(Settings.LAUNCH_GATEWAY_TOKEN), Duration.ofMillis(config.get(Settings.LAUNCH_GATEWAY_TIMEOUT_MS)),
                config.get(Settings.LAUNCH_MAX_ANSWER_BYTES), Duration.ofMillis(config.get(Settings.LAUNCH_TIMEOUT_MS)),
                config.get(Settings.LAUNCH_MAX_PENDING_PER_AGENT)));
        extensions.add(launcher);
        AssetStore assetStore;
        try {
            AssetSettings assetSettings = AssetSettings.defaults()
                    .withMaxStoreBytes(config.get(Settings.ASSET_STORE_BYTES))
                    .withAssembly(config.get(Settings.ASSET_ASSEMBLY_BYTES), config.get(Settings.ASSET_ASSEMBLY_BYTES_PER_AGENT));
            assetStore = new AssetStore(config.get(Settings.DATA_DIR).resolve("assets"), assetSettings);
            extensions.add(new AssetExchange(assetStore, assetSettings));
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot open the asset store under " + config.get(Settings.DATA_DIR) + ": "
                    + e.getMessage(), true, e);
        }
        extensions.addAll(extra);
        Fleet fleet;
        try {
            fleet = Fleet.from(config, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ServerStartException(e.getMessage(), true, e);
        }
        extensions.addAll(fleet.extensions());
        if (watch != null) {
            extensions.add(watch);
        }
        Metrics metrics = new Metrics();
        EnetSettings enet = EnetSettings.defaults().toBuilder()
                .bind(config.get(Settings.BIND).getHostAddress(), config.get(Settings.PORT))
                .maxPeers(config.get(Settings.MAX_PEERS))
                .maxPeersPerAddress(config.get(Settings.MAX_PEERS_PER_ADDRESS))
                .maxNewcomers(config.get(Settings.MAX_NEWCOMERS))
                .maxNewcomersPerAddress(config.get(Settings.MAX_NEWCOMERS_PER_ADDRESS))
                .handshakeTimeoutMillis(config.get(Settings.HANDSHAKE_TIMEOUT_MS))
                .maxWaitingBytes(config.get(Settings.MAX_REASSEMBLY_BYTES_PER_PEER))
                .maxWaitingBytesTotal(config.get(Settings.MAX_REASSEMBLY_BYTES))
                .reassemblyTimeoutMillis(config.get(Settings.REASSEMBLY_TIMEOUT_MS))
                .socketBufferBytes(config.get(Settings.SOCKET_BUFFER_BYTES))
                .build();
        Transport transport = fleet.wrap(transports.apply(enet));
        PlaceSettings defaults = PlaceSettings.defaults();
        PlaceSettings placeSettings = new PlaceSettings(config.get(Settings.PLACE_NAME), config.get(Settings.HEARTBEAT_HZ),
                config.get(Settings.MAX_COMMAND_BYTES), defaults.maxIntentBytes(), config.get(Settings.MAX_ENTITIES_PER_AGENT),
                defaults.maxSpawnDepth(), defaults.maxPendingRequestsPerAgent(),
                Duration.ofMillis(config.get(Settings.REQUEST_TIMEOUT_MS)), defaults.setResendInterval(),
                config.get(Settings.MAX_COMPONENT_BYTES), config.get(Settings.MAX_FULL_STATES_IN_FLIGHT),
                config.get(Settings.MAX_UNACKNOWLEDGED_DIFFS), config.get(Settings.RELIABLE_DIFF_BYTES),
                Duration.ofMillis(config.get(Settings.ANNOUNCE_TIMEOUT_MS)),
                new FairShare(config.get(Settings.AGENT_SLICE), config.get(Settings.AGENT_WORK_PER_HEARTBEAT),
                        config.get(Settings.WORLD_WRITE_BYTES_PER_SECOND),
                        config.get(Settings.AGENT_BACKLOG_MESSAGES), config.get(Settings.AGENT_BACKLOG_BYTES),
                        Duration.ofMillis(config.get(Settings.AGENT_BACKLOG_GRACE_MS)), config.get(Settings.BACKLOG_BYTES)),
                new WorldLimits(config.get(Settings.MAX_WORLD_BYTES), config.get(Settings.MAX_AGENT_BYTES),
                        config.get(Settings.MAX_PARENT_DEPTH)),
                new Readiness(Duration.ofMillis(config.get(Settings.READY_MAX_LATENESS_MS)),
                        config.get(Settings.READY_MAX_BACKLOG)));
        StateSettings stateSettings = StateSettings.defaults().withHistoryLength(config.get(Settings.STATE_HISTORY));
        PlaceIdentity identity = new PlaceIdentity(placeKey.key(), new IdentitySettings(
                Duration.ofMillis(config.get(Settings.IDENTITY_CHALLENGE_TTL_MS)), config.get(Settings.IDENTITY_MAX_CHALLENGES),
                config.get(Settings.IDENTITY_MAX_PENDING_SIGNATURES)));
        Place place = new Place(placeSettings, stateSettings, transport, metrics.registry(), extensions, clock, identity);
        InetSocketAddress udp;
        try {
            udp = place.start().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            transport.shutdown(0, 0);
            metrics.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ServerStartException("cannot listen on udp " + enet.bindHost() + ":" + enet.port() + ": "
                    + cause.getMessage(), false, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("interrupted while starting", false, e);
        }
        launcher.listeningOn(udp.getPort());
        if (udp.getAddress().isAnyLocalAddress()) {
            udp = new InetSocketAddress(config.get(Settings.BIND), udp.getPort());
        }
        java.util.function.BooleanSupplier ready = () -> place.health().ready();
        bindMeters(metrics.registry(), place, transport);
        MeterRegistry registry = metrics.registry();
        counter(registry, "alloplace.acl.denials", "interactions denied by the ACL", accessControl, AccessControl::denials);
        counter(registry, "alloplace.media.forwarded", "media packets forwarded to subscribers", media,
                MediaRelay::forwardedPackets);
        counter(registry, "alloplace.media.dropped", "media packets dropped (unknown track, not the owner, malformed)",
                media, MediaRelay::droppedPackets);
        gauge(registry, "alloplace.assets.store.bytes", "bytes in the asset store", assetStore, AssetStore::totalBytes);
        AdminServer admin = null;
        InetSocketAddress adminAddress = null;
        if (adminEnabled) {
            admin = new AdminServer(adminSettings)
                    .route("/healthz", HealthRoutes.live())
                    .route("/readyz", HealthRoutes.ready(ready, () -> place.health().reason()))
                    .route("/metrics", metrics.route());
            new AdminApi(place, transport::stats, accessControl, watch).install(admin);
            new InspectorApi(place, watch).install(admin);
            InspectorRoutes.install(admin);
            try {
                adminAddress = admin.start();
            } catch (Exception e) {
                place.stop(Duration.ZERO);
                metrics.close();
                throw new ServerStartException("cannot start the admin endpoint on " + adminSettings.bind().getHostAddress()
                        + ":" + adminSettings.port() + ": " + e.getMessage(), false, e);
            }
        }
        fleet.start(ready);
        return new PlaceServer(place, transport, metrics, admin, udp, adminAddress, fleet);
    }

    private static com.fasterxml.jackson.databind.JsonNode readRules(java.nio.file.Path file) {
        if (file == null) {
            return null;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read ACL rules from " + file + ": " + e.getMessage(), e);
        }
    }

    private static void bindMeters(MeterRegistry registry, Place place, Transport transport) {
        gauge(registry, "alloplace.agents", "connected agents", place, p -> p.stats().agents());
        gauge(registry, "alloplace.agents.announced", "agents that announced", place, p -> p.stats().announcedAgents());
        gauge(registry, "alloplace.entities", "entities in the place", place, p -> p.stats().entities());
        gauge(registry, "alloplace.components", "components in the place", place, p -> p.stats().components());
        gauge(registry, "alloplace.revision", "last state revision", place, p -> p.stats().revision());
        counter(registry, "alloplace.diff.bytes", "bytes of state diffs sent", place, p -> p.stats().diffBytesSent());
        counter(registry, "alloplace.enet.datagrams.sent", "UDP datagrams sent", transport, t -> t.stats().datagramsSent());
        counter(registry, "alloplace.enet.datagrams.received", "UDP datagrams received", transport,
                t -> t.stats().datagramsReceived());
        counter(registry, "alloplace.enet.bytes.sent", "UDP bytes sent", transport, t -> t.stats().bytesSent());
        counter(registry, "alloplace.enet.bytes.received", "UDP bytes received", transport, t -> t.stats().bytesReceived());
        counter(registry, "alloplace.enet.datagrams.dropped", "datagrams rejected as malformed or unexpected", transport,
                t -> t.stats().datagramsDropped());
        counter(registry, "alloplace.enet.retransmits", "reliable commands sent again", transport,
                t -> t.stats().retransmits());
    }

    /**
     * The meters the place creates on their first event, registered now at zero so that every
     * metric docs/operations.md lists is scrapeable from the start (a rate over a series that
     * appears late reads wrong). Names, tags and units are the place's own (Place#count,
     * Place#channelMeters); AdminApiTest checks the documented list against a fresh server.
     */
    private static <T> void gauge(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    public InetSocketAddress udpAddress() {
        return udpAddress;
    }

    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(adminAddress);
    }

    public Place place() {
        return place;
    }

    public TransportStats transportStats() {
        return transport.stats();
    }

    /**
     * Tells the fleet (if any) the place is going, stops the place (telling every peer) within
     * {@code grace}, then the admin endpoint.
     */
    public void stop(Duration grace) {
        fleet.stop();
        try {
            place.stop(grace).get(grace.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("place did not stop cleanly: {}", e.toString());
        }
        if (admin != null) {
            admin.close();
        }
        metrics.close();
    }

    public CompletableFuture<Void> terminated() {
        return place.terminated();
    }
}
