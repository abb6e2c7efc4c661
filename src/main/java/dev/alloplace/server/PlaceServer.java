package dev.alloplace.server;

import dev.alloplace.admin.AdminServer;
import dev.alloplace.admin.AdminSettings;
import dev.alloplace.admin.HealthRoutes;
import dev.alloplace.admin.Metrics;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.fleet.Fleet;
import dev.alloplace.identity.IdentityKey;
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
import dev.alloplace.state.StateSettings;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
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
            Function<EnetSettings, Transport> transports) throws ServerStartException {
        return start(config, extra, transports, System::nanoTime);
    }

    /** As above, with the place loop on {@code clock} (nanoseconds): tests step it instead of sleeping. */
    public static PlaceServer start(Config config, List<PlaceExtension> extra,
            Function<EnetSettings, Transport> transports, LongSupplier clock) throws ServerStartException {
        // Checked before anything is created: a refused start leaves no data directory behind.
        Optional<AdminSettings> adminSettings = adminSettings(config);
        Path dataDir = dataDirectory(config);
        PlaceIdentity identity = new PlaceIdentity(placeKey(dataDir), IdentitySettings.from(config));
        // What the inspector keeps of the place's recent past; nothing without an admin endpoint to show it.
        PlaceWatch watch = adminSettings.isPresent() ? new PlaceWatch(InspectorSettings.from(config), Clock.systemUTC())
                : null;
        PlaceFeatures features = new PlaceFeatures(config, dataDir, watch);
        Fleet fleet = fleet(config);
        EnetSettings enet = EnetSettings.from(config);
        Transport transport = transports.apply(enet);
        Metrics metrics = new Metrics();
        Place place = new Place(PlaceSettings.from(config), StateSettings.from(config), transport, metrics.registry(),
                features.extensions(concat(extra, fleet.extensions())), clock, identity);
        InetSocketAddress udp = listen(place, transport, metrics, enet);
        features.launcher.listeningOn(udp.getPort());
        if (udp.getAddress().isAnyLocalAddress()) {
            udp = new InetSocketAddress(config.get(Settings.BIND), udp.getPort());
        }
        ServerMeters.bind(metrics.registry(), place, transport, features);
        AdminServer admin = adminSettings.isPresent() ? adminServer(adminSettings.get(), place, transport, metrics, features, watch)
                : null;
        InetSocketAddress adminAddress = admin == null ? null : startAdmin(admin, adminSettings.get(), place, metrics);
        fleet.start(place);
        return new PlaceServer(place, transport, metrics, admin, udp, adminAddress, fleet);
    }

    /** The admin endpoint's settings, or empty when it is off; refused when they may not be used. */
    private static Optional<AdminSettings> adminSettings(Config config) throws ServerStartException {
        if (config.get(Settings.ADMIN_PORT) < 0) {
            return Optional.empty();
        }
        AdminSettings settings = AdminSettings.from(config);
        if (settings.problem() != null) {
            throw new ServerStartException(settings.problem(), true, null);
        }
        return Optional.of(settings);
    }

    private static Path dataDirectory(Config config) throws ServerStartException {
        Path dataDir = config.get(Settings.DATA_DIR);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ServerStartException("cannot create the data directory " + dataDir + ": " + e.getMessage(), true, e);
        }
        return dataDir;
    }

    /** The place's key from the data directory, made on first start. */
    private static IdentityKey placeKey(Path dataDir) throws ServerStartException {
        Path keyFile = dataDir.resolve(KeyFile.PLACE_KEY_FILE);
        KeyFile.Loaded loaded;
        try {
            loaded = KeyFile.loadOrCreate(keyFile);
        } catch (IOException e) {
            throw new ServerStartException("cannot load the place's key: " + e.getMessage()
                    + " (the place's identity is this key: restore the file rather than delete it)", true, e);
        }
        log.atInfo().addKeyValue("public_key", loaded.key().publicKeyText()).log("{} the place key {} ({})",
                loaded.created() ? "created" : "loaded", loaded.key().publicKeyText(), keyFile);
        return loaded.key();
    }

    private static Fleet fleet(Config config) throws ServerStartException {
        try {
            return Fleet.from(config, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new ServerStartException(e.getMessage(), true, e);
        }
    }

    private static List<PlaceExtension> concat(List<PlaceExtension> first, List<PlaceExtension> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** Starts the transport and the loop; the bound UDP address. */
    private static InetSocketAddress listen(Place place, Transport transport, Metrics metrics, EnetSettings enet)
            throws ServerStartException {
        try {
            return place.start().get(10, TimeUnit.SECONDS);
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
    }

    private static AdminServer adminServer(AdminSettings settings, Place place, Transport transport, Metrics metrics,
            PlaceFeatures features, PlaceWatch watch) {
        AdminServer admin = new AdminServer(settings)
                .route("/healthz", HealthRoutes.live())
                .route("/readyz", HealthRoutes.ready(() -> place.health().ready(), () -> place.health().reason()))
                .route("/metrics", metrics.route());
        new AdminApi(place, transport::stats, features.accessControl, watch).install(admin);
        new InspectorApi(place, watch).install(admin);
        InspectorRoutes.install(admin);
        return admin;
    }

    /** Starts the admin endpoint; on failure stops what has started. */
    private static InetSocketAddress startAdmin(AdminServer admin, AdminSettings settings, Place place, Metrics metrics)
            throws ServerStartException {
        try {
            return admin.start();
        } catch (Exception e) {
            place.stop(Duration.ZERO);
            metrics.close();
            throw new ServerStartException("cannot start the admin endpoint on " + settings.bind().getHostAddress()
                    + ":" + settings.port() + ": " + e.getMessage(), false, e);
        }
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
