package dev.alloplace.place;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** What other threads hand to the place loop: transport events and tasks (admin calls, late answers). */
sealed interface LoopEvent {

    record Connected(ConnectionId connection, InetSocketAddress remote, int channelCount) implements LoopEvent {
    }

    /** A whole message; the loop owns {@code payload}. */
    record Received(ConnectionId connection, int channel, byte[] payload) implements LoopEvent {
    }

    record Disconnected(ConnectionId connection, DisconnectCause cause) implements LoopEvent {
    }

    /** Work to run on the loop; {@code caller}, if any, fails when the loop has stopped and never runs it. */
    record Task(Runnable action, CompletableFuture<?> caller) implements LoopEvent {
    }
}
