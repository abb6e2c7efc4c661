package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Settings;
import dev.alloplace.persist.DataDirLock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server as a daemon: resolve configuration, set up logging, install the shutdown hook,
 * start, then wait for SIGINT/SIGTERM and shut down in order, exiting 0. A configuration error
 * is printed once to stderr (logging is not set up yet); a startup failure once to the log.
 */
final class Daemon {

    /** Whole shutdown budget; the JVM is halted after it even if something hangs. */
    static final Duration SHUTDOWN_BUDGET = Duration.ofMillis(4500);

    private final Map<String, String> env;
    private final PrintStream err;

    Daemon(Map<String, String> env) {
        this(env, System.err);
    }

    Daemon(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
    }

    /** Resolves the configuration, or reports why not and returns {@code null}. */
    Config configure(ServeOptions options) {
        Path file = options.configFile;
        if (file == null && env.containsKey(Settings.CONFIG_FILE_ENV) && !env.get(Settings.CONFIG_FILE_ENV).isBlank()) {
            file = Path.of(env.get(Settings.CONFIG_FILE_ENV));
        }
        try {
            return ConfigLoader.load(options.givenSettings(), env, file);
        } catch (ConfigException e) {
            err.println("alloplace: " + e.getMessage());
            return null;
        }
    }

    int run(ServeOptions options) {
        Config config = configure(options);
        if (config == null) {
            return Main.EXIT_USAGE;
        }
        // Logback reads these when it initialises, which happens at the first getLogger below.
        System.setProperty("alloplace.log.format", config.get(Settings.LOG_FORMAT));
        System.setProperty("alloplace.log.level", config.get(Settings.LOG_LEVEL));
        Logger log = LoggerFactory.getLogger(Daemon.class);
        ShutdownHook hook = new ShutdownHook(log, Duration.ofMillis(config.get(Settings.SHUTDOWN_GRACE_MS)));
        hook.install();
        log.info("starting alloplace {} (pid {})", VersionProvider.version(), ProcessHandle.current().pid());
        config.unknownEnvironment().forEach(log::warn);
        config.overriddenFileValues().forEach(log::info);

        RunningServer server;
        try {
            server = ServerAssembly.start(config);
        } catch (StartupException e) {
            var line = log.atError();
            if (e.getCause() instanceof DataDirLock.HeldException held) {
                line = line.addKeyValue("holder", held.holder());
            }
            line.log("alloplace could not start: {}", e.getMessage());
            return hook.exitOnItsOwn(e.usageError() ? Main.EXIT_USAGE : Main.EXIT_FAILURE);
        }
        log.info("alloplace {} serving \"{}\" on udp {}:{}", VersionProvider.version(),
                config.get(Settings.PLACE_NAME), server.udpAddress().getAddress().getHostAddress(),
                server.udpAddress().getPort());
        hook.serving(server);

        try {
            server.terminated().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("server failed", e.getCause());
        }
        if (hook.signalled()) {
            hook.awaitHook(); // the hook owns the exit and halts the JVM
            return Main.EXIT_OK;
        }
        log.error("server stopped unexpectedly");
        return hook.exitOnItsOwn(Main.EXIT_FAILURE);
    }
}
