package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportListener;
import dev.alloplace.transport.TransportStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ENet protocol engine, as ENET.md describes C ENet 1.3.17. It does no I/O and owns no
 * thread: the transport feeds it datagrams and ticks on one thread and gives it a sink for the
 * datagrams it builds, which also makes it easy to drive from tests and fuzzers. This class
 * walks datagrams and dispatches commands; the work is done by its parts, each owning its
 * state: {@link PeerTable} (slots), {@link Handshake}, {@link Reassembly} (receive windows and
 * fragments), {@link Outbox} and {@link Flusher} (sending and throttling),
 * {@link Retransmission} (timeouts), {@link Endings} (disconnects) and {@link HostCounters}.
 */
final class EnetHost {

    /** Where finished datagrams go; the host releases nothing it hands over. */
    interface DatagramSink {
        void send(InetSocketAddress to, ByteBuf datagram);
    }

    private static final Logger log = LoggerFactory.getLogger(EnetHost.class);

    /**
     * The longest a host with peers goes without a tick: the keep-alive ping interval's order, so
     * that a quiet connection (one visor at 20 Hz) costs two wake-ups a second, not ten. Stats
     * that change while something is in flight are published by the tick-period ticks.
     */
    static final long QUIET_TICK_MILLIS = 500;

    private final LongSupplier clock;
    private final int tickMillis;
    private final int pingIntervalMillis;
    private final int checksumSize;
    private final long maxQueuedBytes;
    private final PeerTable table;
    private final HostCounters counters = new HostCounters();
    private final Retransmission retransmission;
    private final Flusher flusher;
    private final Outbox outbox;
    private final Endings endings;
    private final ReceiveBudget budget;
    private final Reassembly reassembly;
    private final Handshake handshake;

    EnetHost(EnetSettings settings, ByteBufAllocator allocator, DatagramSink sink, TransportListener listener,
            LongSupplier clockMillis) {
        this.clock = clockMillis;
        this.tickMillis = settings.tickMillis();
        this.pingIntervalMillis = settings.pingIntervalMillis();
        this.checksumSize = settings.checksum() ? CHECKSUM_SIZE : 0;
        this.maxQueuedBytes = settings.maxQueuedBytes();
        this.table = new PeerTable(settings.maxPeers());
        this.budget = new ReceiveBudget(settings, table);
        this.retransmission = new Retransmission(settings, counters);
        this.flusher = new Flusher(settings, allocator, sink, counters, retransmission);
        this.outbox = new Outbox(settings);
        this.endings = new Endings(table, flusher, budget, listener, clockMillis);
        this.reassembly = new Reassembly(settings, budget, endings, listener);
        this.handshake = new Handshake(settings, table, retransmission, flusher, endings, listener, counters);
    }

    // ---------------------------------------------------------------- application side

    void connect(InetSocketAddress remote, int channelCount, int data, CompletableFuture<ConnectionId> result) {
        long now = clock.getAsLong();
        Peer peer = handshake.connect(remote, channelCount, data, result, now);
        if (peer != null) {
            flush(peer, now);
        }
    }

    void send(ConnectionId id, int channel, byte[] data, Delivery delivery) {
        Peer peer = table.get(id);
        if (peer == null || peer.state != PeerState.CONNECTED || channel < 0 || channel >= peer.channels.length) {
            return;
        }
        if (outbox.send(peer, channel, data, delivery) == Outbox.Result.OVER_LIMIT) {
            endings.violation(peer, DisconnectReasons.SEND_QUEUE_FULL, "outgoing queue exceeds " + maxQueuedBytes + " bytes (client too slow)");
            return;
        }
        flusher.markDirty(peer);
    }

    /** The application admitted this connection (it announced): it leaves the newcomers' share. */
    void admit(ConnectionId id) {
        Peer peer = table.get(id);
        if (peer != null) {
            handshake.admit(peer);
        }
    }

    /** enet_peer_disconnect_later: after everything queued has been delivered. */
    void disconnectLater(ConnectionId id, int data) {
        Peer peer = table.get(id);
        if (peer != null) {
            endings.disconnectLater(peer, data);
        }
    }

    /** enet_peer_disconnect_now: tell the remote once, forget it at once. */
    void disconnectNow(ConnectionId id, int data) {
        Peer peer = table.get(id);
        if (peer != null) {
            endings.dropNow(peer, data, DisconnectCause.LOCAL);
        }
    }

    /** Current counters of a connection; only on the host's thread. */
    Optional<ConnectionStats> stats(ConnectionId id) {
        Peer peer = table.get(id);
        return peer == null ? Optional.empty() : Optional.of(peer.snapshot(peer.packetsLost));
    }

    /** Publishes the host-wide counters now (the tick does so too, while it runs). */
    void publishCounters() {
        counters.publish(table.connected());
    }

    /** Counters last published by {@link #tick}; readable from any thread. */
    TransportStats publishedStats() {
        return counters.published();
    }

    /** A connection's counters as of the last {@link #tick}; readable from any thread, without locks. */
    Optional<ConnectionStats> publishedStats(ConnectionId id) {
        return table.published(id);
    }

    /** Begins a graceful disconnect of everyone, reporting {@link DisconnectCause#SHUTDOWN}. */
    void beginShutdown(int reason) {
        endings.beginShutdown(reason);
    }

    /** True once no peer is left that still waits for a disconnect acknowledgement. */
    boolean idle() {
        return endings.idle();
    }

    /** Ends every remaining connection without waiting. */
    void dropAll(int reason) {
        endings.dropAll(reason);
    }

    /** After the last datagram: lets go of the buffers kept for building datagrams. */
    void close() {
        flusher.close();
    }

    int connectedPeers() {
        return table.connected();
    }

    /** Connections that may still be refused a newcomer's slot: half-open, or not admitted. */
    int newcomers() {
        return table.newcomers();
    }

    /** CONNECTs refused by a limit so far. */
    long refusals() {
        return counters.refusals;
    }

    /** Bytes received from all peers and not yet delivered (reassembly, out of order). */
    long waitingBytes() {
        return budget.total();
    }

    // ---------------------------------------------------------------- service

    /** True while some slot holds a connection (or a handshake): only then is there periodic work. */
    boolean hasPeers() {
        return table.live().length > 0;
    }

    /**
     * Milliseconds until {@link #tick} may have something to do, -1 with no peer at all. While
     * anything is in flight, queued, half received or in a handshake or disconnect, that is the
     * tick period; with every connection quiet it is the next keep-alive ping (at most
     * {@link #QUIET_TICK_MILLIS}, so that published statistics stay fresh), so that a host with a
     * few quiet peers wakes twice a second rather than two hundred times.
     */
    long nextTickIn(long now) {
        Peer[] live = table.live();
        if (live.length == 0) {
            return -1;
        }
        if (flusher.bandwidthNoticePending()) {
            return tickMillis;
        }
        long in = QUIET_TICK_MILLIS;
        for (Peer peer : live) {
            if (peer.state != PeerState.CONNECTED || !peer.sentReliable.isEmpty() || !peer.outgoing.isEmpty()
                    || !peer.acknowledgements.isEmpty() || peer.waitingBytes > 0) {
                return tickMillis;
            }
            in = Math.min(in, Math.max(tickMillis, peer.lastReceiveTime + pingIntervalMillis - now));
        }
        return in;
    }

    /** Periodic work: retransmission and timeouts, pings, bandwidth notices, published counters. */
    void tick() {
        long now = clock.getAsLong();
        boolean bandwidthNotices = flusher.startBandwidthTick(now);
        boolean sweep = reassembly.sweepDue(now);
        for (Peer peer : table.live()) {
            if (peer.state == PeerState.DISCONNECTED || peer.state == PeerState.ZOMBIE) {
                continue;
            }
            if (sweep && peer.waitingBytes > 0 && reassembly.expire(peer, now) || handshake.expire(peer, now)) {
                continue;
            }
            if (bandwidthNotices && peer.state.acceptsData()) {
                Flusher.queueBandwidthNotice(peer);
            }
            if (retransmission.due(peer, now) && retransmission.expire(peer, now)) {
                endings.timedOut(peer);
                continue;
            }
            flush(peer, now);
            publish(peer);
        }
        flusher.clearDirty();
        counters.publish(table.connected());
    }

    /** Sends what application calls and received datagrams queued since the last flush. */
    void flushDirty() {
        if (!flusher.anyDirty()) {
            return;
        }
        long now = clock.getAsLong();
        for (Peer peer : flusher.takeDirty()) {
            if (peer.state != PeerState.DISCONNECTED && peer.state != PeerState.ZOMBIE) {
                flush(peer, now);
                publish(peer);
            }
        }
    }

    /** Statistics other threads read, republished only when they changed. */
    private void publish(Peer peer) {
        if (peer.statsChanged && peer.state != PeerState.DISCONNECTED) {
            peer.statsChanged = false;
            table.publish(peer, peer.snapshot(peer.packetsLost));
        }
    }

    private void flush(Peer peer, long now) {
        while (true) {
            switch (flusher.flush(peer, now)) {
                case DONE -> {
                    return;
                }
                case DISCONNECT_ACKNOWLEDGED -> {
                    endings.finish(peer, DisconnectCause.REMOTE, peer.disconnectData);
                    return;
                }
                case DRAINED -> endings.disconnect(peer, peer.disconnectData);
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    void receive(InetSocketAddress from, ByteBuf datagram) {
        counters.received(datagram.readableBytes());
        try {
            if (!process(from, datagram)) {
                counters.datagramsDropped++;
            }
        } catch (RuntimeException e) {
            counters.datagramsDropped++;
            log.warn("datagram from {} could not be processed: {}", from, e.toString());
        }
    }

    /** Walks one datagram's commands; returns false when the datagram was rejected as a whole. */
    private boolean process(InetSocketAddress from, ByteBuf in) {
        int length = in.readableBytes();
        if (length < 2 || length > MAXIMUM_MTU + CHECKSUM_SIZE) {
            return false;
        }
        int base = in.readerIndex();
        int word = in.getUnsignedShort(base);
        int peerId = word & MAXIMUM_PEER_ID;
        int session = (word & HEADER_SESSION_MASK) >>> HEADER_SESSION_SHIFT;
        boolean hasSentTime = (word & HEADER_FLAG_SENT_TIME) != 0;
        if ((word & HEADER_FLAG_COMPRESSED) != 0) {
            return false;
        }
        int headerSize = hasSentTime ? 4 : 2;
        if (length < headerSize + checksumSize) {
            return false;
        }
        int sentTime = hasSentTime ? in.getUnsignedShort(base + 2) : 0;
        Peer peer = null;
        if (peerId != MAXIMUM_PEER_ID) {
            peer = table.at(peerId);
            if (peer == null || peer.state == PeerState.DISCONNECTED || peer.state == PeerState.ZOMBIE
                    || !from.equals(peer.address)) {
                return false;
            }
            if (peer.remotePeerId != MAXIMUM_PEER_ID && session != peer.incomingSessionId) {
                return false;
            }
        }
        if (checksumSize > 0 && !Checksum.verify(in, headerSize, peer == null ? 0 : peer.connectId)) {
            return false;
        }
        in.readerIndex(base + headerSize + checksumSize);
        long now = clock.getAsLong();
        if (peer != null) {
            peer.packetsReceived++;
            peer.bytesReceived += length;
            peer.statsChanged = true;
        }
        while (in.readableBytes() >= 4) {
            Command command = CommandCodec.decode(in);
            if (command == null || peer == null && !(command instanceof Command.Connect)) {
                break;
            }
            Outcome outcome;
            if (command instanceof Command.Connect connect) {
                if (peer != null) {
                    break;
                }
                peer = handshake.accept(from, connect, now);
                if (peer == null) {
                    break;
                }
                outcome = Outcome.DONE;
            } else {
                outcome = handle(peer, command, now);
            }
            if (outcome == Outcome.REJECT || peer.state == PeerState.DISCONNECTED) {
                break;
            }
            if (command.reliable()) {
                if (!hasSentTime) {
                    break;
                }
                if (outcome == Outcome.DONE) {
                    acknowledge(peer, command, sentTime);
                }
            }
        }
        if (peer != null && peer.state != PeerState.DISCONNECTED) {
            flusher.markDirty(peer);
        }
        return true;
    }

    private Outcome handle(Peer peer, Command command, long now) {
        if (command instanceof Command.Acknowledge ack) {
            return acknowledged(peer, ack, now);
        }
        if (command instanceof Command.VerifyConnect verify) {
            return handshake.verified(peer, verify);
        }
        if (command instanceof Command.Disconnect disconnect) {
            return endings.received(peer, disconnect);
        }
        if (command instanceof Command.Ping) {
            return peer.state.acceptsData() ? Outcome.DONE : Outcome.REJECT;
        }
        if (command instanceof Command.BandwidthLimit limit) {
            return Flusher.bandwidthLimit(peer, limit);
        }
        if (command instanceof Command.ThrottleConfigure throttle) {
            return Flusher.throttleConfigure(peer, throttle);
        }
        if (command instanceof Command.SendReliable reliable) {
            return reassembly.reliable(peer, reliable, now);
        }
        if (command instanceof Command.SendUnreliable unreliable) {
            return reassembly.unreliable(peer, unreliable, now);
        }
        if (command instanceof Command.SendUnsequenced unsequenced) {
            return reassembly.unsequenced(peer, unsequenced);
        }
        if (command instanceof Command.SendFragment fragment) {
            return fragment.acknowledged() ? reassembly.reliableFragment(peer, fragment, now)
                    : reassembly.unreliableFragment(peer, fragment, now);
        }
        return Outcome.REJECT;
    }

    /** C {@code handle_acknowledge}: a round-trip sample, a command out of flight, maybe a state change. */
    private Outcome acknowledged(Peer peer, Command.Acknowledge ack, long now) {
        if (!retransmission.sample(peer, ack, now)) {
            return Outcome.DONE;
        }
        Outgoing removed = retransmission.acknowledged(peer, ack.channel(), ack.receivedSeq());
        switch (peer.state) {
            case ACKNOWLEDGING_CONNECT -> {
                if (removed == null || !(removed.command instanceof Command.VerifyConnect)) {
                    return Outcome.REJECT;
                }
                handshake.completed(peer);
            }
            case DISCONNECTING -> {
                if (removed == null || !(removed.command instanceof Command.Disconnect)) {
                    return Outcome.REJECT;
                }
                endings.finish(peer, endings.localCause(), 0);
            }
            case DISCONNECT_LATER -> {
                if (!peer.hasOutgoingWork()) {
                    endings.disconnect(peer, peer.disconnectData);
                }
            }
            default -> { }
        }
        return Outcome.DONE;
    }

    /** Queues the acknowledgement C ENet would send for a reliable command in this state. */
    private static void acknowledge(Peer peer, Command command, int sentTime) {
        boolean disconnect = command instanceof Command.Disconnect;
        switch (peer.state) {
            case DISCONNECTING, ACKNOWLEDGING_CONNECT, DISCONNECTED, ZOMBIE -> {
                return;
            }
            case ACKNOWLEDGING_DISCONNECT -> {
                if (!disconnect) {
                    return;
                }
            }
            default -> { }
        }
        peer.acknowledgements.add(new Ack(command.channel(), command.seq(), sentTime, disconnect));
    }
}
