package dev.alloplace.gateway;

import dev.alloplace.admin.AdminServer;
import dev.alloplace.admin.AdminSettings;
import dev.alloplace.admin.HealthRoutes;
import dev.alloplace.admin.Metrics;
import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alloapp gateway wired from its configuration: the app catalog, the supervisor of app
 * processes, and an HTTP endpoint (the admin server's, with its token, health probes and
 * Prometheus metrics) that a place's {@code launch_app} POSTs to.
 */
public final class AppGateway {

    private static final Logger log = LoggerFactory.getLogger(AppGateway.class);

    private final AdminServer http;
    private final AppSupervisor supervisor;
    private final Metrics metrics;
    private final InetSocketAddress address;
    private final AtomicBoolean accepting;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private AppGateway(AdminServer http, AppSupervisor supervisor, Metrics metrics, InetSocketAddress address,
            AtomicBoolean accepting) {
        this.http = http;
        this.supervisor = supervisor;
        this.metrics = metrics;
        this.address = address;
        this.accepting = accepting;
    }

    /**
     * @param environment the gateway's own environment; apps inherit only a few basics from it
     * @throws ConfigException for a bad catalog or settings that may not be used together
     */
    public static AppGateway start(Config config, Map<String, String> environment) throws ConfigException {
        AppCatalog catalog = AppCatalog.read(config.get(GatewaySettings.APPS_FILE),
                config.get(GatewaySettings.MAX_PROCESSES_PER_APP), Duration.ofSeconds(config.get(GatewaySettings.MAX_RUN_SECONDS)));
        AdminSettings httpSettings = httpSettings(config);
        if (httpSettings.problem() != null) {
            throw new ConfigException(httpSettings.problem().replace("admin.bind", GatewaySettings.BIND.key())
                    .replace("admin.token", GatewaySettings.TOKEN.key())
                    .replace("ALLOPLACE_ADMIN_TOKEN", GatewaySettings.TOKEN.env())
                    .replace("the admin API", "the gateway"));
        }
        Metrics metrics = new Metrics();
        AppSupervisor supervisor = new AppSupervisor(AppSupervisor.Limits.from(config), environment, metrics.registry(),
                catalog.names());
        AtomicBoolean accepting = new AtomicBoolean(true);
        GatewayRoutes routes = new GatewayRoutes(catalog, supervisor);
        AdminServer http = new AdminServer(httpSettings)
                .route("/healthz", HealthRoutes.live())
                .route("/readyz", HealthRoutes.ready(accepting::get))
                .route("/metrics", metrics.route())
                .route("/apps", routes.list())
                .route("POST", "/{app}", routes.launch())
                .route("GET", "/{app}", routes.launch());
        InetSocketAddress address;
        try {
            address = http.start();
        } catch (Exception e) {
            supervisor.stop();
            metrics.close();
            http.close();
            throw new ConfigException("cannot listen on " + httpSettings.bind().getHostAddress() + ":"
                    + httpSettings.port() + ": " + e.getMessage());
        }
        log.info("app gateway on http://{}:{}/ with {} app(s): {}", address.getAddress().getHostAddress(), address.getPort(),
                catalog.names().size(), String.join(", ", catalog.names().stream().sorted().toList()));
        return new AppGateway(http, supervisor, metrics, address, accepting);
    }

    /**
     * The HTTP endpoint's settings: the admin server's, bound where {@code gateway.*} says, with
     * the admin defaults for connections and idle time.
     */
    private static AdminSettings httpSettings(Config config) {
        AdminSettings admin = AdminSettings.from(Config.defaults());
        return new AdminSettings(config.get(GatewaySettings.BIND), config.get(GatewaySettings.PORT),
                config.get(GatewaySettings.TOKEN), config.get(GatewaySettings.ALLOWED_HOSTS), admin.maxConnections(),
                admin.idleTimeout(), config.get(GatewaySettings.MAX_REQUEST_BYTES));
    }

    public InetSocketAddress address() {
        return address;
    }

    public AppSupervisor supervisor() {
        return supervisor;
    }

    /** Stops taking launches, stops every app (SIGTERM, grace, SIGKILL), then the HTTP endpoint. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        accepting.set(false);
        supervisor.stop();
        http.close();
        metrics.close();
        log.info("app gateway stopped");
    }
}
