package dev.alloplace.enet;

import dev.alloplace.transport.ConnectRefusedException;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportListener;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How connections end (ENET.md 9): graceful and immediate disconnects, a remote's DISCONNECT,
 * timeouts and limit violations; which disconnect event the application hears, and freeing the
 * slot. Also knows whether the host is shutting down, which changes the cause it reports.
 */
final class Endings {

    private static final Logger log = LoggerFactory.getLogger(Endings.class);

    private final PeerTable table;
    private final Flusher flusher;
    private final ReceiveBudget budget;
    private final TransportListener listener;
    private final LongSupplier clock;
    private boolean shuttingDown;

    Endings(PeerTable table, Flusher flusher, ReceiveBudget budget, TransportListener listener, LongSupplier clock) {
        this.table = table;
        this.flusher = flusher;
        this.budget = budget;
        this.listener = listener;
        this.clock = clock;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Refuses new connections and begins a graceful disconnect of everyone (reported as SHUTDOWN). */
    void beginShutdown(int reason) {
        shuttingDown = true;
        for (Peer peer : table.slots()) {
            switch (peer.state) {
                case CONNECTED, DISCONNECT_LATER -> disconnect(peer, reason);
                case CONNECTING, ACKNOWLEDGING_CONNECT -> dropNow(peer, reason, DisconnectCause.SHUTDOWN);
                default -> { }
            }
        }
    }

    /** True once no peer is left that still waits for a disconnect acknowledgement. */
    boolean idle() {
        for (Peer peer : table.slots()) {
            if (peer.state != PeerState.DISCONNECTED) {
                return false;
            }
        }
        return true;
    }

    /** Ends every remaining connection without waiting. */
    void dropAll(int reason) {
        for (Peer peer : table.slots()) {
            if (peer.state != PeerState.DISCONNECTED) {
                dropNow(peer, reason, DisconnectCause.SHUTDOWN);
            }
        }
    }

    DisconnectCause localCause() {
        return shuttingDown ? DisconnectCause.SHUTDOWN : DisconnectCause.LOCAL;
    }

    /** enet_peer_disconnect: drop queues, send a reliable DISCONNECT, wait for its ack. */
    void disconnect(Peer peer, int data) {
        switch (peer.state) {
            case DISCONNECTING, DISCONNECTED, ACKNOWLEDGING_DISCONNECT, ZOMBIE -> {
                return;
            }
            case CONNECTED, DISCONNECT_LATER -> {
                clearQueues(peer);
                peer.queue(new Outgoing(new Command.Disconnect(peer.nextControlSeq(), true, data), true, false));
                peer.state = PeerState.DISCONNECTING;
                flusher.markDirty(peer);
            }
            default -> dropNow(peer, data, DisconnectCause.LOCAL);
        }
    }

    /** enet_peer_disconnect_later: after everything queued has been delivered. */
    void disconnectLater(Peer peer, int data) {
        if (peer.state == PeerState.CONNECTED && peer.hasOutgoingWork()) {
            peer.state = PeerState.DISCONNECT_LATER;
            peer.disconnectData = data;
        } else {
            disconnect(peer, data);
        }
    }

    /** enet_peer_disconnect_now: tell the remote once, unreliably, and forget it at once. */
    void dropNow(Peer peer, int data, DisconnectCause cause) {
        if (peer.state == PeerState.DISCONNECTED) {
            return;
        }
        if (peer.state != PeerState.ZOMBIE && peer.state != PeerState.DISCONNECTING) {
            clearQueues(peer);
            ByteBuf body = flusher.newDatagram(16);
            CommandCodec.encode(new Command.Disconnect(peer.nextControlSeq(), false, data), body);
            flusher.transmit(peer, body, false, clock.getAsLong());
        }
        boolean known = peer.state.acceptsData() || peer.state == PeerState.DISCONNECTING
                || peer.state == PeerState.ACKNOWLEDGING_DISCONNECT;
        CompletableFuture<ConnectionId> future = peer.connectFuture;
        if (known) {
            finish(peer, shuttingDown ? DisconnectCause.SHUTDOWN : cause, 0);
        } else {
            forget(peer);
        }
        if (future != null) {
            future.completeExceptionally(new IllegalStateException("connection abandoned"));
        }
    }

    /** A peer broke a limit: it is told {@code code} and dropped at once. */
    void violation(Peer peer, int code, String reason) {
        log.warn("disconnecting {}: {}", peer.address, reason);
        dropNow(peer, code, DisconnectCause.VIOLATION);
    }

    /** The timeout rules declared the peer dead. */
    void timedOut(Peer peer) {
        switch (peer.state) {
            case CONNECTING -> {
                CompletableFuture<ConnectionId> future = peer.connectFuture;
                forget(peer);
                if (future != null) {
                    future.completeExceptionally(new TimeoutException("no answer from the remote host"));
                }
            }
            case ACKNOWLEDGING_CONNECT -> forget(peer);
            case DISCONNECTING -> finish(peer, localCause(), 0);
            default -> finish(peer, DisconnectCause.TIMEOUT, 0);
        }
    }

    /** C {@code handle_disconnect}: the remote ends the connection (or refuses ours). */
    Outcome received(Peer peer, Command.Disconnect disconnect) {
        switch (peer.state) {
            case DISCONNECTED, ZOMBIE, ACKNOWLEDGING_DISCONNECT -> {
                return Outcome.DONE;
            }
            default -> { }
        }
        clearQueues(peer);
        switch (peer.state) {
            case CONNECTING -> {
                CompletableFuture<ConnectionId> future = peer.connectFuture;
                forget(peer);
                if (future != null) {
                    future.completeExceptionally(new ConnectRefusedException(disconnect.data()));
                }
            }
            case ACKNOWLEDGING_CONNECT -> forget(peer);
            case DISCONNECTING -> finish(peer, localCause(), disconnect.data());
            default -> {
                if (disconnect.acknowledged()) {
                    peer.state = PeerState.ACKNOWLEDGING_DISCONNECT;
                    peer.disconnectData = disconnect.data();
                } else {
                    finish(peer, DisconnectCause.REMOTE, disconnect.data());
                }
            }
        }
        return Outcome.DONE;
    }

    /** Raises the disconnect event of a connection the application knew, then frees the slot. */
    void finish(Peer peer, DisconnectCause cause, int data) {
        ConnectionId id = peer.id;
        forget(peer);
        flusher.bandwidthChanged();
        try {
            listener.onDisconnect(id, cause, data);
        } catch (RuntimeException e) {
            log.error("disconnect listener failed", e);
        }
    }

    /** Frees the slot without telling the application (it never heard of this connection). */
    void forget(Peer peer) {
        budget.releaseAll(peer);
        flusher.forget(peer);
        table.release(peer);
    }

    void clearQueues(Peer peer) {
        budget.releaseAll(peer);
        peer.clearQueues();
    }
}
