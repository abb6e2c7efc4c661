package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Settings;
import dev.alloplace.gateway.AppGateway;
import dev.alloplace.gateway.GatewaySettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alloplace gateway}: the Alloapp gateway, which starts catalogued app processes when a
 * place's {@code launch_app} asks, until SIGINT or SIGTERM stops it and every app it started.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the Alloapp gateway: POST /<app> from a place's launch_app starts that app from the catalog.",
        footer = {"", "Settings are taken from flags, then ALLOPLACE_GATEWAY_* environment variables, then the YAML file, "
                + "then defaults (docs/configuration.md)."})
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "HTTP bind address (default 127.0.0.1). Env: ALLOPLACE_GATEWAY_BIND")
    String bind;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "HTTP port, 0 for any free port (default 21339). Env: ALLOPLACE_GATEWAY_PORT")
    String port;

    @Option(names = {"-a", "--apps"}, paramLabel = "FILE", description = "YAML app catalog (default apps.yaml). Env: ALLOPLACE_GATEWAY_APPS_FILE")
    String apps;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json (default text). Env: ALLOPLACE_LOG_FORMAT")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn or error (default info). Env: ALLOPLACE_LOG_LEVEL")
    String logLevel;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file of gateway.* settings. Env: ALLOPLACE_GATEWAY_CONFIG")
    Path configFile;

    /** Resolves the gateway's settings, or reports why not and returns {@code null}. */
    Config configure(Map<String, String> env, PrintStream err) {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, GatewaySettings.BIND.key(), bind);
        put(flags, GatewaySettings.PORT.key(), port);
        put(flags, GatewaySettings.APPS_FILE.key(), apps);
        put(flags, Settings.LOG_FORMAT.key(), logFormat);
        put(flags, Settings.LOG_LEVEL.key(), logLevel);
        Path file = configFile;
        String fromEnv = env.get(GatewaySettings.CONFIG_FILE_ENV);
        if (file == null && fromEnv != null && !fromEnv.isBlank()) {
            file = Path.of(fromEnv);
        }
        try {
            return ConfigLoader.load(GatewaySettings.ALL, flags, env, file);
        } catch (ConfigException e) {
            err.println("alloplace gateway: " + e.getMessage());
            return null;
        }
    }

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Config config = configure(env, System.err);
        if (config == null) {
            return Main.EXIT_USAGE;
        }
        System.setProperty("alloplace.log.format", config.get(Settings.LOG_FORMAT));
        System.setProperty("alloplace.log.level", config.get(Settings.LOG_LEVEL));
        Logger log = LoggerFactory.getLogger(GatewayCommand.class);
        AppGateway gateway;
        try {
            gateway = AppGateway.start(config, env);
        } catch (ConfigException e) {
            log.error("the gateway could not start: {}", e.getMessage());
            System.err.println("alloplace gateway: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        long budgetMillis = config.get(GatewaySettings.SHUTDOWN_GRACE_MS) + 5_000L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(budgetMillis);
                    log.warn("gateway shutdown took longer than {} ms; halting", budgetMillis);
                    Runtime.getRuntime().halt(Main.EXIT_OK);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "alloplace-gateway-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            log.info("shutting down");
            gateway.stop();
            LogFlush.flush();
            stopped.countDown();
            Runtime.getRuntime().halt(Main.EXIT_OK);
        }, "alloplace-gateway-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
