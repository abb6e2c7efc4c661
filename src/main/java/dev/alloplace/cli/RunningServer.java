package dev.alloplace.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A started server as the daemon sees it: where it listens, how to stop it, when it ended. */
interface RunningServer {

    InetSocketAddress udpAddress();

    /** Stops accepting, tells connected peers, persists what must persist; bounded by {@code grace}. */
    void stop(Duration grace);

    /** Completes when the server has stopped, by {@link #stop} or by a fatal failure. */
    CompletableFuture<Void> terminated();
}
