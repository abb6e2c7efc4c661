package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server as a daemon: resolve configuration, set up logging, start, then wait for
 * SIGINT/SIGTERM and shut down in order, exiting 0.
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

        Path dataDir = config.get(Settings.DATA_DIR);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            err.println("alloplace: invalid value for " + Settings.DATA_DIR.key() + ": cannot create directory "
                    + dataDir + " (" + e + ")");
            return Main.EXIT_USAGE;
        }

        RunningServer server;
        try {
            server = ServerAssembly.start(config);
        } catch (StartupException e) {
            log.error("alloplace could not start: {}", e.getMessage());
            err.println("alloplace: " + e.getMessage());
            return e.usageError() ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
        }
        log.info("alloplace {} serving \"{}\" on udp {}:{}", VersionProvider.version(),
                config.get(Settings.PLACE_NAME), server.udpAddress().getAddress().getHostAddress(),
                server.udpAddress().getPort());

        AtomicBoolean stopping = new AtomicBoolean();
        Duration grace = Duration.ofMillis(config.get(Settings.SHUTDOWN_GRACE_MS));
        Thread hook = new Thread(() -> {
            stopping.set(true);
            log.info("shutting down");
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_BUDGET.toMillis());
                    log.warn("shutdown took longer than {} ms; halting", SHUTDOWN_BUDGET.toMillis());
                    Runtime.getRuntime().halt(Main.EXIT_OK);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "alloplace-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            server.stop(grace);
            log.info("stopped");
            LogFlush.flush();
            // A JVM ended by a signal reports 128+signal; a clean, complete shutdown is a success.
            Runtime.getRuntime().halt(Main.EXIT_OK);
        }, "alloplace-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            server.terminated().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("server failed", e.getCause());
        }
        if (stopping.get()) {
            // The shutdown hook owns the exit; wait for it to halt the JVM.
            try {
                hook.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Main.EXIT_OK;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        log.error("server stopped unexpectedly");
        return Main.EXIT_FAILURE;
    }
}
