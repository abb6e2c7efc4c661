package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.TransportListener;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening connections (ENET.md 3): CONNECT out and VERIFY_CONNECT back, a remote's CONNECT
 * into a slot, and the acknowledgement that completes it; session ids, MTU and window
 * negotiation; the limits on who may take a slot, the refusals that name them, and the
 * deadline of a remote's handshake.
 */
final class Handshake {

    private static final Logger log = LoggerFactory.getLogger(Handshake.class);
    /** Refusals to one address are sent at most this often. */
    static final long REFUSAL_INTERVAL_MILLIS = 250;

    private final EnetSettings settings;
    private final PeerTable table;
    private final Retransmission retransmission;
    private final Flusher flusher;
    private final Endings endings;
    private final TransportListener listener;
    private final HostCounters counters;
    private final RefusalLimiter refusals = new RefusalLimiter(REFUSAL_INTERVAL_MILLIS);

    Handshake(EnetSettings settings, PeerTable table, Retransmission retransmission, Flusher flusher, Endings endings,
            TransportListener listener, HostCounters counters) {
        this.settings = settings;
        this.table = table;
        this.retransmission = retransmission;
        this.flusher = flusher;
        this.endings = endings;
        this.listener = listener;
        this.counters = counters;
    }

    /** enet_host_connect: takes a slot and queues the CONNECT; null (and the future failed) if impossible. */
    Peer connect(InetSocketAddress remote, int channelCount, int data, CompletableFuture<ConnectionId> result, long now) {
        Peer peer = table.free();
        if (peer == null) {
            result.completeExceptionally(new IllegalStateException("no free peer slot"));
            return null;
        }
        if (endings.shuttingDown()) {
            result.completeExceptionally(new IllegalStateException("host is shutting down"));
            return null;
        }
        int channels = Math.max(MINIMUM_CHANNEL_COUNT, Math.min(channelCount, settings.channelLimit()));
        table.open(peer, remote, settings.mtu(), channels, now);
        peer.state = PeerState.CONNECTING;
        peer.connectId = ThreadLocalRandom.current().nextInt();
        peer.connectFuture = result;
        peer.queue(new Outgoing(new Command.Connect(peer.nextControlSeq(), peer.index, peer.incomingSessionId,
                peer.outgoingSessionId, peer.mtu, MAXIMUM_WINDOW_SIZE, channels, 0, 0, peer.throttleInterval,
                peer.throttleAcceleration, peer.throttleDeceleration, peer.connectId, data), true, false));
        return peer;
    }

    /**
     * C {@code handle_connect}: a remote asks for a slot. Returns its new peer, or null when the
     * CONNECT is ignored (malformed, or a retransmission of one already taken) or refused: a
     * refusal is answered with a DISCONNECT naming the limit (at most one per address per
     * {@link #REFUSAL_INTERVAL_MILLIS}). Newcomers (half-open, or connected but not admitted by
     * the application) are held to their share of the slots, per address and in total, so
     * a flood from a few addresses leaves room for everyone else.
     */
    Peer accept(InetSocketAddress from, Command.Connect connect, long now) {
        if (connect.channelCount() < MINIMUM_CHANNEL_COUNT || connect.channelCount() > MAXIMUM_CHANNEL_COUNT) {
            return null;
        }
        int halfOpen = 0;
        int newcomers = 0;
        int sameAddress = 0;
        for (Peer peer : table.from(from.getAddress())) {
            if (peer.state == PeerState.CONNECTING) {
                continue;
            }
            if (peer.address.getPort() == from.getPort() && peer.connectId == connect.connectId()) {
                return null;
            }
            if (peer.state == PeerState.ACKNOWLEDGING_CONNECT) {
                halfOpen++;
            }
            if (peer.newcomer) {
                newcomers++;
            }
            sameAddress++;
        }
        int refusal;
        if (endings.shuttingDown()) {
            refusal = DisconnectReasons.SHUTTING_DOWN;
        } else if (sameAddress >= settings.maxPeersPerAddress()) {
            refusal = DisconnectReasons.TOO_MANY_FROM_ADDRESS;
        } else if (halfOpen >= settings.maxHalfOpenPerAddress() || newcomers >= settings.maxNewcomersPerAddress()) {
            refusal = DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS;
        } else if (table.newcomers() >= settings.maxNewcomers()) {
            refusal = DisconnectReasons.TOO_MANY_NEWCOMERS;
        } else {
            refusal = 0;
        }
        Peer peer = refusal == 0 ? table.free() : null;
        if (refusal == 0 && peer == null) {
            refusal = DisconnectReasons.SERVER_FULL;
        }
        if (refusal != 0) {
            refuse(from, connect, refusal, now);
            return null;
        }
        int channels = Math.min(connect.channelCount(), settings.channelLimit());
        int mtu = Math.min(settings.mtu(), Math.max(MINIMUM_MTU, Math.min(connect.mtu(), MAXIMUM_MTU)));
        table.open(peer, from, mtu, channels, now);
        table.markNewcomer(peer);
        peer.state = PeerState.ACKNOWLEDGING_CONNECT;
        peer.connectId = connect.connectId();
        peer.remotePeerId = connect.outgoingPeerId();
        peer.incomingBandwidth = connect.incomingBandwidth();
        peer.outgoingBandwidth = connect.outgoingBandwidth();
        peer.throttleInterval = connect.throttleInterval();
        peer.throttleAcceleration = connect.throttleAcceleration();
        peer.throttleDeceleration = connect.throttleDeceleration();
        peer.connectData = connect.data();
        peer.outgoingSessionId = nextSession(connect.incomingSessionId(), peer.outgoingSessionId);
        peer.incomingSessionId = nextSession(connect.outgoingSessionId(), peer.incomingSessionId);
        peer.windowSize = Flusher.windowFor(connect.incomingBandwidth());
        int grantedWindow = Flusher.clampWindow(Math.min(MAXIMUM_WINDOW_SIZE, connect.windowSize()));
        peer.queue(new Outgoing(new Command.VerifyConnect(peer.nextControlSeq(), peer.index, peer.outgoingSessionId,
                peer.incomingSessionId, mtu, grantedWindow, channels, 0, 0, connect.throttleInterval(),
                connect.throttleAcceleration(), connect.throttleDeceleration(), connect.connectId()), true, false));
        return peer;
    }

    /** Tells a remote whose CONNECT took no slot why, addressed to its own peer id. */
    private void refuse(InetSocketAddress from, Command.Connect connect, int reason, long now) {
        counters.refusals++;
        if (!refusals.allow(from.getAddress(), now)) {
            return;
        }
        log.debug("refusing a connection from {}: reason {}", from, reason);
        ByteBuf body = flusher.newDatagram(16);
        CommandCodec.encode(new Command.Disconnect(0, false, reason), body);
        flusher.transmitUnbound(from, connect.outgoingPeerId() & MAXIMUM_PEER_ID, connect.connectId(), body, now);
    }

    /**
     * Frees the slot of a remote's handshake that did not complete within the handshake
     * timeout (it never acknowledged our VERIFY_CONNECT); true if it did.
     */
    boolean expire(Peer peer, long now) {
        if (peer.state != PeerState.ACKNOWLEDGING_CONNECT || now - peer.openedAt < settings.handshakeTimeoutMillis()) {
            return false;
        }
        log.debug("handshake from {} did not complete within {} ms", peer.address, settings.handshakeTimeoutMillis());
        endings.forget(peer);
        return true;
    }

    /** The application took this connection in: it no longer counts as a newcomer. */
    void admit(Peer peer) {
        table.admit(peer);
    }

    /** The session id C ENet picks: the proposed one (or ours if none) plus one, never the previous one. */
    private static int nextSession(int proposed, int previous) {
        int session = ((proposed == 0xFF ? previous : proposed) + 1) & 3;
        if (session == previous) {
            session = (session + 1) & 3;
        }
        return session;
    }

    /** The remote acknowledged our VERIFY_CONNECT: the connection is open. */
    void completed(Peer peer) {
        peer.state = PeerState.CONNECTED;
        flusher.bandwidthChanged();
        notifyConnect(peer, peer.connectData);
    }

    /** C {@code handle_verify_connect}: the answer to our CONNECT. */
    Outcome verified(Peer peer, Command.VerifyConnect verify) {
        if (peer.state != PeerState.CONNECTING) {
            return Outcome.DONE;
        }
        if (verify.channelCount() < MINIMUM_CHANNEL_COUNT || verify.channelCount() > MAXIMUM_CHANNEL_COUNT
                || verify.throttleInterval() != peer.throttleInterval
                || verify.throttleAcceleration() != peer.throttleAcceleration
                || verify.throttleDeceleration() != peer.throttleDeceleration
                || verify.connectId() != peer.connectId) {
            CompletableFuture<ConnectionId> future = peer.connectFuture;
            endings.forget(peer);
            if (future != null) {
                future.completeExceptionally(new IllegalStateException("the remote answered with a mismatching VERIFY_CONNECT"));
            }
            return Outcome.REJECT;
        }
        retransmission.acknowledged(peer, CONTROL_CHANNEL, 1);
        if (verify.channelCount() < peer.channels.length) {
            peer.channels = Arrays.copyOf(peer.channels, verify.channelCount());
        }
        peer.remotePeerId = verify.outgoingPeerId();
        peer.incomingSessionId = verify.incomingSessionId();
        peer.outgoingSessionId = verify.outgoingSessionId();
        peer.mtu = Math.min(peer.mtu, Math.max(MINIMUM_MTU, Math.min(verify.mtu(), MAXIMUM_MTU)));
        peer.windowSize = Math.min(peer.windowSize, Flusher.clampWindow(verify.windowSize()));
        peer.incomingBandwidth = verify.incomingBandwidth();
        peer.outgoingBandwidth = verify.outgoingBandwidth();
        peer.state = PeerState.CONNECTED;
        flusher.bandwidthChanged();
        notifyConnect(peer, 0);
        CompletableFuture<ConnectionId> future = peer.connectFuture;
        peer.connectFuture = null;
        if (future != null) {
            future.complete(peer.id);
        }
        return Outcome.DONE;
    }

    private void notifyConnect(Peer peer, int data) {
        try {
            listener.onConnect(peer.id, peer.address, peer.channels.length, data);
        } catch (RuntimeException e) {
            log.error("connect listener failed", e);
        }
    }
}
