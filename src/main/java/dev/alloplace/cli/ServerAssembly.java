package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.server.PlaceServer;
import dev.alloplace.server.ServerStartException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Starts the server for the daemon and adapts it to what the daemon needs. */
final class ServerAssembly {

    private ServerAssembly() {
    }

    static RunningServer start(Config config) throws StartupException {
        PlaceServer server;
        try {
            server = PlaceServer.start(config);
        } catch (ServerStartException e) {
            throw new StartupException(e.getMessage(), e.configurationProblem(), e);
        }
        return new RunningServer() {
            @Override
            public InetSocketAddress udpAddress() {
                return server.udpAddress();
            }

            @Override
            public void stop(Duration grace) {
                server.stop(grace);
            }

            @Override
            public CompletableFuture<Void> terminated() {
                return server.terminated();
            }
        };
    }
}
