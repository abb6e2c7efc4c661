package dev.alloplace.cli;

import dev.alloplace.admin.AdminSettings;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.persist.DataDirLock;
import dev.alloplace.server.MemoryReturn;
import dev.alloplace.server.PlaceServer;
import dev.alloplace.server.ServerStartException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the server for the daemon, checking what can be checked before anything is created:
 * the admin token first, then the data directory is created and locked against a second server,
 * then the place starts, and the heap is watched for memory to give back between bursts
 * ({@link MemoryReturn}, one per process, so not in {@link PlaceServer}). Stopping the server
 * releases the lock.
 */
final class ServerAssembly {

    private ServerAssembly() {
    }

    static RunningServer start(Config config) throws StartupException {
        if (config.get(Settings.ADMIN_PORT) >= 0) {
            String problem = AdminSettings.from(config).problem();
            if (problem != null) {
                throw new StartupException(problem, true, null);
            }
        }
        Path dataDir = config.get(Settings.DATA_DIR);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartupException("invalid value for " + Settings.DATA_DIR.key() + ": cannot create directory "
                    + dataDir + " (" + e + ")", true, e);
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dataDir);
        } catch (DataDirLock.HeldException e) {
            throw new StartupException(e.getMessage(), true, e);
        } catch (IOException e) {
            throw new StartupException("cannot lock the data directory " + dataDir + ": " + e, true, e);
        }
        PlaceServer server;
        try {
            server = PlaceServer.start(config);
        } catch (ServerStartException e) {
            lock.close();
            throw new StartupException(e.getMessage(), e.configurationProblem(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        Optional<MemoryReturn> memory = MemoryReturn.start(
                Duration.ofMillis(config.get(Settings.MEMORY_RETURN_INTERVAL_MS)), config.get(Settings.MEMORY_RETURN_MIN_BYTES));
        return new RunningServer() {
            @Override
            public InetSocketAddress udpAddress() {
                return server.udpAddress();
            }

            @Override
            public void stop(Duration grace) {
                try {
                    memory.ifPresent(MemoryReturn::close);
                    server.stop(grace);
                } finally {
                    lock.close();
                }
            }

            @Override
            public CompletableFuture<Void> terminated() {
                return server.terminated();
            }
        };
    }
}
