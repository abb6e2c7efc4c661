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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ENet protocol engine: peer slots, handshake, acknowledgements, windows, retransmission,
 * fragmentation and timeouts, as ENET.md describes C ENet 1.3.17. It does no I/O and owns no
 * thread: the transport feeds it datagrams and ticks on one thread and gives it a sink for the
 * datagrams it builds, which also makes it easy to drive from tests and fuzzers.
 */
final class EnetHost {

    /** Where finished datagrams go; the host releases nothing it hands over. */
    interface DatagramSink {
        void send(InetSocketAddress to, ByteBuf datagram);
    }

    private enum Outcome { OK, NO_ACK, ERROR }

    private static final Logger log = LoggerFactory.getLogger(EnetHost.class);

    private final EnetSettings settings;
    private final ByteBufAllocator allocator;
    private final DatagramSink sink;
    private final TransportListener listener;
    private final LongSupplier clock;
    private final Peer[] peers;
    private final Map<Long, Peer> byConnection = new HashMap<>();
    private final Set<Peer> dirty = new LinkedHashSet<>();
    private final int checksumSize;
    private long nextConnectionId = 1;
    private long lastBandwidthTick;
    private boolean bandwidthRecalc;
    private boolean shuttingDown;

    private long datagramsSent;
    private long datagramsReceived;
    private long bytesSent;
    private long bytesReceived;
    private long datagramsDropped;
    private long retransmits;
    private volatile TransportStats published = new TransportStats(0, 0, 0, 0, 0, 0, 0);

    EnetHost(EnetSettings settings, ByteBufAllocator allocator, DatagramSink sink, TransportListener listener,
            LongSupplier clockMillis) {
        this.settings = settings;
        this.allocator = allocator;
        this.sink = sink;
        this.listener = listener;
        this.clock = clockMillis;
        this.peers = new Peer[settings.maxPeers()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new Peer(i);
        }
        this.checksumSize = settings.checksum() ? CHECKSUM_SIZE : 0;
    }

    // ---------------------------------------------------------------- application side

    void connect(InetSocketAddress remote, int channelCount, int data, CompletableFuture<ConnectionId> result) {
        Peer peer = freeSlot();
        if (peer == null) {
            result.completeExceptionally(new IllegalStateException("no free peer slot"));
            return;
        }
        if (shuttingDown) {
            result.completeExceptionally(new IllegalStateException("host is shutting down"));
            return;
        }
        long now = clock.getAsLong();
        int channels = Math.max(MINIMUM_CHANNEL_COUNT, Math.min(channelCount, settings.channelLimit()));
        peer.open(new ConnectionId(nextConnectionId++), remote, settings.mtu(), channels, now);
        peer.state = PeerState.CONNECTING;
        peer.connectId = ThreadLocalRandom.current().nextInt();
        peer.connectFuture = result;
        byConnection.put(peer.id.value(), peer);
        int seq = nextControlSeq(peer);
        queue(peer, new Outgoing(new Command.Connect(seq, peer.index, peer.incomingSessionId, peer.outgoingSessionId,
                peer.mtu, MAXIMUM_WINDOW_SIZE, channels, 0, 0, peer.throttleInterval, peer.throttleAcceleration,
                peer.throttleDeceleration, peer.connectId, data), true, false));
        flush(peer, now);
    }

    void send(ConnectionId id, int channel, byte[] data, Delivery delivery) {
        Peer peer = byConnection.get(id.value());
        if (peer == null || peer.state != PeerState.CONNECTED || channel < 0 || channel >= peer.channels.length) {
            return;
        }
        if (data.length > settings.maxPacketSize()) {
            log.warn("dropping a {}-byte message to {}: larger than the {}-byte limit", data.length, peer.address,
                    settings.maxPacketSize());
            peer.messagesDropped++;
            return;
        }
        if (peer.queuedBytes + data.length > settings.maxQueuedBytes()) {
            violation(peer, "outgoing queue exceeds " + settings.maxQueuedBytes() + " bytes (client too slow)");
            return;
        }
        ChannelState ch = peer.channels[channel];
        int fragmentSize = peer.mtu - FULL_HEADER_SIZE - FRAGMENT_HEADER_SIZE - checksumSize;
        boolean unreliableFragments = delivery == Delivery.UNRELIABLE_FRAGMENTED && ch.outgoingUnreliableSeq < 0xFFFF;
        if (data.length > fragmentSize) {
            int count = (data.length + fragmentSize - 1) / fragmentSize;
            if (count > MAXIMUM_FRAGMENT_COUNT) {
                peer.messagesDropped++;
                return;
            }
            if (unreliableFragments) {
                int unreliableSeq = ch.outgoingUnreliableSeq = (ch.outgoingUnreliableSeq + 1) & 0xFFFF;
                for (int i = 0, offset = 0; i < count; i++, offset += fragmentSize) {
                    int length = Math.min(fragmentSize, data.length - offset);
                    queue(peer, new Outgoing(new Command.SendFragment(false, channel, ch.outgoingReliableSeq,
                            unreliableSeq, count, i, data.length, offset, data, offset, length), false, i == 0));
                }
            } else {
                int start = (ch.outgoingReliableSeq + 1) & 0xFFFF;
                for (int i = 0, offset = 0; i < count; i++, offset += fragmentSize) {
                    int length = Math.min(fragmentSize, data.length - offset);
                    int seq = ch.outgoingReliableSeq = (ch.outgoingReliableSeq + 1) & 0xFFFF;
                    queue(peer, new Outgoing(new Command.SendFragment(true, channel, seq, start, count, i,
                            data.length, offset, data, offset, length), true, false));
                }
                ch.outgoingUnreliableSeq = 0;
            }
        } else if (delivery == Delivery.RELIABLE || ch.outgoingUnreliableSeq >= 0xFFFF && delivery != Delivery.UNSEQUENCED) {
            int seq = ch.outgoingReliableSeq = (ch.outgoingReliableSeq + 1) & 0xFFFF;
            ch.outgoingUnreliableSeq = 0;
            queue(peer, new Outgoing(new Command.SendReliable(channel, seq, data, 0, data.length), true, false));
        } else if (delivery == Delivery.UNSEQUENCED) {
            int group = peer.outgoingUnsequencedGroup = (peer.outgoingUnsequencedGroup + 1) & 0xFFFF;
            queue(peer, new Outgoing(new Command.SendUnsequenced(channel, group, data, 0, data.length), false, true));
        } else {
            int unreliableSeq = ch.outgoingUnreliableSeq = ch.outgoingUnreliableSeq + 1;
            queue(peer, new Outgoing(new Command.SendUnreliable(channel, ch.outgoingReliableSeq, unreliableSeq, data, 0,
                    data.length), false, true));
        }
        dirty.add(peer);
    }

    /** enet_peer_disconnect_later: after everything queued has been delivered. */
    void disconnectLater(ConnectionId id, int data) {
        Peer peer = byConnection.get(id.value());
        if (peer == null) {
            return;
        }
        if (peer.state == PeerState.CONNECTED && peer.hasOutgoingWork()) {
            peer.state = PeerState.DISCONNECT_LATER;
            peer.disconnectData = data;
        } else {
            disconnect(peer, data);
        }
    }

    /** enet_peer_disconnect_now: tell the remote once, forget it at once. */
    void disconnectNow(ConnectionId id, int data) {
        Peer peer = byConnection.get(id.value());
        if (peer != null) {
            dropNow(peer, data, DisconnectCause.LOCAL);
        }
    }

    Optional<ConnectionStats> stats(ConnectionId id) {
        Peer peer = byConnection.get(id.value());
        return peer == null ? Optional.empty() : Optional.of(peer.snapshot(peer.packetsLost));
    }

    /** Counters last published by {@link #tick}; readable from any thread. */
    TransportStats publishedStats() {
        return published;
    }

    Optional<ConnectionStats> publishedStats(ConnectionId id) {
        Peer peer = byConnection.get(id.value());
        return peer == null ? Optional.empty() : Optional.ofNullable(peer.published);
    }

    /** Begins a graceful disconnect of everyone, reporting {@link DisconnectCause#SHUTDOWN}. */
    void beginShutdown(int reason) {
        shuttingDown = true;
        for (Peer peer : peers) {
            switch (peer.state) {
                case CONNECTED, DISCONNECT_LATER -> disconnect(peer, reason);
                case CONNECTING, ACKNOWLEDGING_CONNECT -> dropNow(peer, reason, DisconnectCause.SHUTDOWN);
                default -> { }
            }
        }
    }

    /** True once no peer is left that still waits for a disconnect acknowledgement. */
    boolean idle() {
        for (Peer peer : peers) {
            if (peer.state != PeerState.DISCONNECTED) {
                return false;
            }
        }
        return true;
    }

    /** Ends every remaining connection without waiting. */
    void dropAll(int reason) {
        for (Peer peer : peers) {
            if (peer.state != PeerState.DISCONNECTED) {
                dropNow(peer, reason, DisconnectCause.SHUTDOWN);
            }
        }
    }

    int connectedPeers() {
        int count = 0;
        for (Peer peer : peers) {
            if (peer.state.acceptsData()) {
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- service

    /** Periodic work: retransmission and timeouts, pings, bandwidth notices, counters. */
    void tick() {
        long now = clock.getAsLong();
        boolean bandwidthTick = now - lastBandwidthTick >= BANDWIDTH_THROTTLE_INTERVAL;
        if (bandwidthTick) {
            lastBandwidthTick = now;
        }
        for (Peer peer : peers) {
            if (peer.state == PeerState.DISCONNECTED || peer.state == PeerState.ZOMBIE) {
                continue;
            }
            if (bandwidthTick && bandwidthRecalc && peer.state.acceptsData()) {
                queue(peer, new Outgoing(new Command.BandwidthLimit(nextControlSeq(peer), 0, 0), true, false));
            }
            if (!peer.sentReliable.isEmpty() && now >= peer.nextTimeout && checkTimeouts(peer, now)) {
                continue;
            }
            flush(peer, now);
            peer.published = peer.snapshot(peer.packetsLost);
        }
        if (bandwidthTick) {
            bandwidthRecalc = false;
        }
        dirty.clear();
        published = new TransportStats(connectedPeers(), datagramsSent, datagramsReceived, bytesSent, bytesReceived,
                datagramsDropped, retransmits);
    }

    /** Sends what application calls and received datagrams queued since the last flush. */
    void flushDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        List<Peer> touched = new ArrayList<>(dirty);
        dirty.clear();
        for (Peer peer : touched) {
            if (peer.state != PeerState.DISCONNECTED && peer.state != PeerState.ZOMBIE) {
                flush(peer, now);
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    void receive(InetSocketAddress from, ByteBuf datagram) {
        datagramsReceived++;
        bytesReceived += datagram.readableBytes();
        try {
            if (!process(from, datagram)) {
                datagramsDropped++;
            }
        } catch (RuntimeException e) {
            datagramsDropped++;
            log.warn("datagram from {} could not be processed: {}", from, e.toString());
        }
    }

    /** Returns false when the datagram was rejected as a whole. */
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
            if (peerId >= peers.length) {
                return false;
            }
            peer = peers[peerId];
            if (peer.state == PeerState.DISCONNECTED || peer.state == PeerState.ZOMBIE || !from.equals(peer.address)) {
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
        }
        while (in.readableBytes() >= 4) {
            Command command = CommandCodec.decode(in);
            if (command == null) {
                break;
            }
            if (peer == null && !(command instanceof Command.Connect)) {
                break;
            }
            Outcome outcome;
            if (command instanceof Command.Connect connect) {
                if (peer != null) {
                    break;
                }
                peer = acceptConnect(from, connect, now);
                if (peer == null) {
                    break;
                }
                outcome = Outcome.OK;
            } else {
                outcome = handle(peer, command, sentTime, now);
            }
            if (outcome == Outcome.ERROR || peer.state == PeerState.DISCONNECTED) {
                break;
            }
            if (command.reliable()) {
                if (!hasSentTime) {
                    break;
                }
                if (outcome == Outcome.OK) {
                    acknowledge(peer, command, sentTime);
                }
            }
        }
        if (peer != null && peer.state != PeerState.DISCONNECTED) {
            dirty.add(peer);
        }
        return true;
    }

    private void acknowledge(Peer peer, Command command, int sentTime) {
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

    private Outcome handle(Peer peer, Command command, int sentTime, long now) {
        if (command instanceof Command.Acknowledge ack) {
            return handleAcknowledge(peer, ack, now);
        }
        if (command instanceof Command.VerifyConnect verify) {
            return handleVerifyConnect(peer, verify);
        }
        if (command instanceof Command.Disconnect disconnect) {
            return handleDisconnect(peer, disconnect);
        }
        if (command instanceof Command.Ping) {
            return peer.state.acceptsData() ? Outcome.OK : Outcome.ERROR;
        }
        if (command instanceof Command.BandwidthLimit limit) {
            if (!peer.state.acceptsData()) {
                return Outcome.ERROR;
            }
            peer.incomingBandwidth = limit.incomingBandwidth();
            peer.outgoingBandwidth = limit.outgoingBandwidth();
            peer.windowSize = limit.incomingBandwidth() == 0 ? MAXIMUM_WINDOW_SIZE
                    : clampWindow((int) ((Integer.toUnsignedLong(limit.incomingBandwidth()) / PEER_WINDOW_SIZE_SCALE)
                            * MINIMUM_WINDOW_SIZE));
            return Outcome.OK;
        }
        if (command instanceof Command.ThrottleConfigure throttle) {
            if (!peer.state.acceptsData()) {
                return Outcome.ERROR;
            }
            peer.throttleInterval = throttle.interval();
            peer.throttleAcceleration = throttle.acceleration();
            peer.throttleDeceleration = throttle.deceleration();
            return Outcome.OK;
        }
        if (command instanceof Command.SendReliable reliable) {
            return handleSendReliable(peer, reliable);
        }
        if (command instanceof Command.SendUnreliable unreliable) {
            return handleSendUnreliable(peer, unreliable);
        }
        if (command instanceof Command.SendUnsequenced unsequenced) {
            return handleSendUnsequenced(peer, unsequenced);
        }
        if (command instanceof Command.SendFragment fragment) {
            return fragment.acknowledged() ? handleReliableFragment(peer, fragment) : handleUnreliableFragment(peer, fragment);
        }
        return Outcome.ERROR;
    }

    private Peer acceptConnect(InetSocketAddress from, Command.Connect connect, long now) {
        if (shuttingDown || connect.channelCount() < MINIMUM_CHANNEL_COUNT || connect.channelCount() > MAXIMUM_CHANNEL_COUNT) {
            return null;
        }
        Peer free = null;
        int halfOpen = 0;
        int sameAddress = 0;
        for (Peer peer : peers) {
            if (peer.state == PeerState.DISCONNECTED) {
                if (free == null) {
                    free = peer;
                }
            } else if (peer.state != PeerState.CONNECTING && peer.address.getAddress().equals(from.getAddress())) {
                if (peer.address.getPort() == from.getPort() && peer.connectId == connect.connectId()) {
                    return null;
                }
                if (peer.state == PeerState.ACKNOWLEDGING_CONNECT) {
                    halfOpen++;
                }
                sameAddress++;
            }
        }
        if (free == null || halfOpen >= settings.maxHalfOpenPerAddress() || sameAddress >= settings.maxPeersPerAddress()) {
            return null;
        }
        Peer peer = free;
        int channels = Math.min(connect.channelCount(), settings.channelLimit());
        int mtu = Math.min(settings.mtu(), Math.max(MINIMUM_MTU, Math.min(connect.mtu(), MAXIMUM_MTU)));
        peer.open(new ConnectionId(nextConnectionId++), from, mtu, channels, now);
        peer.state = PeerState.ACKNOWLEDGING_CONNECT;
        peer.connectId = connect.connectId();
        peer.remotePeerId = connect.outgoingPeerId();
        peer.incomingBandwidth = connect.incomingBandwidth();
        peer.outgoingBandwidth = connect.outgoingBandwidth();
        peer.throttleInterval = connect.throttleInterval();
        peer.throttleAcceleration = connect.throttleAcceleration();
        peer.throttleDeceleration = connect.throttleDeceleration();
        peer.connectData = connect.data();
        int outgoingSession = (connect.incomingSessionId() == 0xFF ? peer.outgoingSessionId : connect.incomingSessionId());
        outgoingSession = (outgoingSession + 1) & 3;
        if (outgoingSession == peer.outgoingSessionId) {
            outgoingSession = (outgoingSession + 1) & 3;
        }
        peer.outgoingSessionId = outgoingSession;
        int incomingSession = (connect.outgoingSessionId() == 0xFF ? peer.incomingSessionId : connect.outgoingSessionId());
        incomingSession = (incomingSession + 1) & 3;
        if (incomingSession == peer.incomingSessionId) {
            incomingSession = (incomingSession + 1) & 3;
        }
        peer.incomingSessionId = incomingSession;
        peer.windowSize = connect.incomingBandwidth() == 0 ? MAXIMUM_WINDOW_SIZE
                : clampWindow((int) ((Integer.toUnsignedLong(connect.incomingBandwidth()) / PEER_WINDOW_SIZE_SCALE)
                        * MINIMUM_WINDOW_SIZE));
        int grantedWindow = clampWindow(Math.min(MAXIMUM_WINDOW_SIZE, connect.windowSize()));
        byConnection.put(peer.id.value(), peer);
        queue(peer, new Outgoing(new Command.VerifyConnect(nextControlSeq(peer), peer.index, outgoingSession,
                incomingSession, mtu, grantedWindow, channels, 0, 0, connect.throttleInterval(),
                connect.throttleAcceleration(), connect.throttleDeceleration(), connect.connectId()), true, false));
        return peer;
    }

    private Outcome handleVerifyConnect(Peer peer, Command.VerifyConnect verify) {
        if (peer.state != PeerState.CONNECTING) {
            return Outcome.OK;
        }
        if (verify.channelCount() < MINIMUM_CHANNEL_COUNT || verify.channelCount() > MAXIMUM_CHANNEL_COUNT
                || verify.throttleInterval() != peer.throttleInterval
                || verify.throttleAcceleration() != peer.throttleAcceleration
                || verify.throttleDeceleration() != peer.throttleDeceleration
                || verify.connectId() != peer.connectId) {
            CompletableFuture<ConnectionId> future = peer.connectFuture;
            forget(peer);
            if (future != null) {
                future.completeExceptionally(new IllegalStateException("the remote answered with a mismatching VERIFY_CONNECT"));
            }
            return Outcome.ERROR;
        }
        removeSent(peer, CONTROL_CHANNEL, 1);
        if (verify.channelCount() < peer.channels.length) {
            peer.channels = Arrays.copyOf(peer.channels, verify.channelCount());
        }
        peer.remotePeerId = verify.outgoingPeerId();
        peer.incomingSessionId = verify.incomingSessionId();
        peer.outgoingSessionId = verify.outgoingSessionId();
        peer.mtu = Math.min(peer.mtu, Math.max(MINIMUM_MTU, Math.min(verify.mtu(), MAXIMUM_MTU)));
        peer.windowSize = Math.min(peer.windowSize, clampWindow(verify.windowSize()));
        peer.incomingBandwidth = verify.incomingBandwidth();
        peer.outgoingBandwidth = verify.outgoingBandwidth();
        peer.state = PeerState.CONNECTED;
        bandwidthRecalc = true;
        notifyConnect(peer, 0);
        CompletableFuture<ConnectionId> future = peer.connectFuture;
        peer.connectFuture = null;
        if (future != null) {
            future.complete(peer.id);
        }
        return Outcome.OK;
    }

    private Outcome handleDisconnect(Peer peer, Command.Disconnect disconnect) {
        switch (peer.state) {
            case DISCONNECTED, ZOMBIE, ACKNOWLEDGING_DISCONNECT -> {
                return Outcome.OK;
            }
            default -> { }
        }
        clearQueues(peer);
        switch (peer.state) {
            case CONNECTING -> {
                CompletableFuture<ConnectionId> future = peer.connectFuture;
                forget(peer);
                if (future != null) {
                    future.completeExceptionally(new IllegalStateException("the remote refused the connection"));
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
        return Outcome.OK;
    }

    private Outcome handleAcknowledge(Peer peer, Command.Acknowledge ack, long now) {
        long sent = (now & ~0xFFFFL) | ack.receivedSentTime();
        if ((sent & 0x8000) > (now & 0x8000)) {
            sent -= 0x10000;
        }
        if (sent > now) {
            return Outcome.OK;
        }
        peer.sampleRoundTrip(Math.max(1, now - sent), now);
        Outgoing removed = removeSent(peer, ack.channel(), ack.receivedSeq());
        switch (peer.state) {
            case ACKNOWLEDGING_CONNECT -> {
                if (removed == null || !(removed.command instanceof Command.VerifyConnect)) {
                    return Outcome.ERROR;
                }
                peer.state = PeerState.CONNECTED;
                bandwidthRecalc = true;
                notifyConnect(peer, peer.connectData);
            }
            case DISCONNECTING -> {
                if (removed == null || !(removed.command instanceof Command.Disconnect)) {
                    return Outcome.ERROR;
                }
                finish(peer, localCause(), 0);
            }
            case DISCONNECT_LATER -> {
                if (!peer.hasOutgoingWork()) {
                    disconnect(peer, peer.disconnectData);
                }
            }
            default -> { }
        }
        return Outcome.OK;
    }

    private Outgoing removeSent(Peer peer, int channel, int seq) {
        Outgoing found = null;
        boolean wasInFlight = false;
        for (Iterator<Outgoing> it = peer.sentReliable.iterator(); it.hasNext(); ) {
            Outgoing candidate = it.next();
            if (candidate.channel() == channel && candidate.seq() == seq) {
                it.remove();
                found = candidate;
                wasInFlight = true;
                break;
            }
        }
        if (found == null) {
            for (Iterator<Outgoing> it = peer.outgoing.iterator(); it.hasNext(); ) {
                Outgoing candidate = it.next();
                if (candidate.attempts > 0 && candidate.reliable && candidate.channel() == channel
                        && candidate.seq() == seq) {
                    it.remove();
                    found = candidate;
                    break;
                }
            }
        }
        if (found == null) {
            return null;
        }
        if (channel != CONTROL_CHANNEL && channel < peer.channels.length) {
            ChannelState ch = peer.channels[channel];
            int window = seq / PEER_RELIABLE_WINDOW_SIZE;
            if (ch.reliableWindows[window] > 0 && --ch.reliableWindows[window] == 0) {
                ch.usedReliableWindows &= ~(1 << window);
            }
        }
        if (wasInFlight) {
            peer.reliableDataInTransit -= found.payload();
        }
        peer.queuedBytes -= found.payload();
        peer.nextTimeout = peer.sentReliable.isEmpty() ? 0
                : peer.sentReliable.get(0).sentTime + peer.sentReliable.get(0).rto;
        return found;
    }

    private Outcome handleSendReliable(Peer peer, Command.SendReliable command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.ERROR;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.OK;
        }
        ChannelState ch = peer.channels[command.channel()];
        Outcome window = reliableWindow(ch, command.seq());
        if (window != Outcome.OK || command.seq() == ch.incomingReliableSeq
                || ch.incomingReliable.containsKey(command.seq())) {
            return window == Outcome.ERROR ? Outcome.OK : window;
        }
        if (!admit(peer, ch, command.length())) {
            return Outcome.ERROR;
        }
        ch.incomingReliable.put(command.seq(), IncomingMessage.whole(true, command.seq(), 0, command.data()));
        deliverReliable(peer, command.channel());
        return Outcome.OK;
    }

    private Outcome handleReliableFragment(Peer peer, Command.SendFragment fragment) {
        if (!peer.state.acceptsData() || fragment.channel() >= peer.channels.length || !validFragment(fragment)) {
            return Outcome.ERROR;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.OK;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int start = fragment.startSeq();
        Outcome window = reliableWindow(ch, start);
        if (window != Outcome.OK || start == ch.incomingReliableSeq) {
            return window == Outcome.ERROR ? Outcome.OK : noAckIfFar(ch, fragment.seq());
        }
        IncomingMessage message = ch.incomingReliable.get(start);
        if (message == null) {
            if (!admit(peer, ch, fragment.totalLength())) {
                return Outcome.ERROR;
            }
            message = new IncomingMessage(true, start, 0, fragment.fragmentCount(), fragment.totalLength());
            ch.incomingReliable.put(start, message);
        } else if (message.fragmentCount != fragment.fragmentCount() || message.data.length != fragment.totalLength()) {
            return Outcome.ERROR;
        }
        message.addFragment(fragment.fragmentNumber(), fragment.fragmentOffset(), fragment.data(), fragment.length());
        if (message.complete()) {
            deliverReliable(peer, fragment.channel());
        }
        return noAckIfFar(ch, fragment.seq());
    }

    private Outcome handleSendUnreliable(Peer peer, Command.SendUnreliable command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.ERROR;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.OK;
        }
        ChannelState ch = peer.channels[command.channel()];
        acceptUnreliable(peer, command.channel(), ch,
                IncomingMessage.whole(false, command.seq(), command.unreliableSeq(), command.data()));
        return Outcome.OK;
    }

    private Outcome handleUnreliableFragment(Peer peer, Command.SendFragment fragment) {
        if (!peer.state.acceptsData() || fragment.channel() >= peer.channels.length || !validFragment(fragment)) {
            return Outcome.ERROR;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.OK;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int reliableSeq = fragment.seq();
        int unreliableSeq = fragment.startSeq();
        if (reliableWindow(ch, reliableSeq) != Outcome.OK
                || reliableSeq == ch.incomingReliableSeq && unreliableSeq <= ch.incomingUnreliableSeq) {
            return Outcome.OK;
        }
        int key = reliableSeq << 16 | unreliableSeq;
        IncomingMessage message = ch.unreliableFragments.get(key);
        if (message == null) {
            if (!admit(peer, ch, fragment.totalLength())) {
                return Outcome.ERROR;
            }
            message = new IncomingMessage(false, reliableSeq, unreliableSeq, fragment.fragmentCount(),
                    fragment.totalLength());
            ch.unreliableFragments.put(key, message);
        } else if (message.fragmentCount != fragment.fragmentCount() || message.data.length != fragment.totalLength()) {
            return Outcome.ERROR;
        }
        message.addFragment(fragment.fragmentNumber(), fragment.fragmentOffset(), fragment.data(), fragment.length());
        if (message.complete()) {
            ch.unreliableFragments.remove(key);
            peer.waitingBytes -= message.data.length;
            acceptUnreliable(peer, fragment.channel(), ch, message);
        }
        return Outcome.OK;
    }

    private Outcome handleSendUnsequenced(Peer peer, Command.SendUnsequenced command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.ERROR;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.OK;
        }
        int group = command.group();
        int index = group % PEER_UNSEQUENCED_WINDOW_SIZE;
        int g = group < peer.incomingUnsequencedGroup ? group + 0x10000 : group;
        if (g >= peer.incomingUnsequencedGroup + PEER_FREE_UNSEQUENCED_WINDOWS * PEER_UNSEQUENCED_WINDOW_SIZE) {
            return Outcome.OK;
        }
        g &= 0xFFFF;
        if (g - index != peer.incomingUnsequencedGroup) {
            peer.incomingUnsequencedGroup = g - index;
            Arrays.fill(peer.unsequencedWindow, 0);
        } else if ((peer.unsequencedWindow[index >>> 6] & (1L << (index & 63))) != 0) {
            return Outcome.OK;
        }
        peer.unsequencedWindow[index >>> 6] |= 1L << (index & 63);
        deliver(peer, command.channel(), command.data());
        return Outcome.OK;
    }

    private boolean validFragment(Command.SendFragment fragment) {
        long total = Integer.toUnsignedLong(fragment.totalLength());
        long count = Integer.toUnsignedLong(fragment.fragmentCount());
        long number = Integer.toUnsignedLong(fragment.fragmentNumber());
        long offset = Integer.toUnsignedLong(fragment.fragmentOffset());
        return count >= 1 && count <= MAXIMUM_FRAGMENT_COUNT && number < count
                && total <= settings.maxPacketSize() && total >= count && offset < total
                && fragment.length() >= 1 && fragment.length() <= total - offset;
    }

    /** ENET.md 5.4: OK to queue, NO_ACK for too far ahead, ERROR (meaning: old, ack it) otherwise. */
    private static Outcome reliableWindow(ChannelState ch, int seq) {
        int window = seq / PEER_RELIABLE_WINDOW_SIZE;
        int current = ch.incomingReliableSeq / PEER_RELIABLE_WINDOW_SIZE;
        if (seq < ch.incomingReliableSeq) {
            window += PEER_RELIABLE_WINDOWS;
        }
        if (window >= current && window < current + PEER_FREE_RELIABLE_WINDOWS - 1) {
            return Outcome.OK;
        }
        if (window == current + PEER_FREE_RELIABLE_WINDOWS - 1 || window == current + PEER_FREE_RELIABLE_WINDOWS) {
            return Outcome.NO_ACK;
        }
        return Outcome.ERROR;
    }

    private static Outcome noAckIfFar(ChannelState ch, int seq) {
        return reliableWindow(ch, seq) == Outcome.NO_ACK ? Outcome.NO_ACK : Outcome.OK;
    }

    private boolean admit(Peer peer, ChannelState ch, int bytes) {
        if (peer.waitingBytes + bytes > settings.maxWaitingBytes()) {
            violation(peer, "more than " + settings.maxWaitingBytes() + " bytes waiting for reassembly or order ("
                    + peer.waitingBytes + " waiting, +" + bytes + "; channel holds " + ch.incomingReliable.size()
                    + " reliable, " + ch.heldUnreliable.size() + " held unreliable, " + ch.unreliableFragments.size()
                    + " partial unreliable)");
            return false;
        }
        if (ch.incomingReliable.size() + ch.unreliableFragments.size() + ch.heldUnreliable.size()
                >= settings.maxOutOfOrderReliable()) {
            violation(peer, "more than " + settings.maxOutOfOrderReliable() + " messages held out of order");
            return false;
        }
        peer.waitingBytes += bytes;
        return true;
    }

    private void deliverReliable(Peer peer, int channel) {
        ChannelState ch = peer.channels[channel];
        boolean delivered = false;
        while (peer.state.acceptsData()) {
            IncomingMessage next = ch.incomingReliable.get((ch.incomingReliableSeq + 1) & 0xFFFF);
            if (next == null || !next.complete()) {
                break;
            }
            ch.incomingReliable.remove(next.reliableSeq);
            ch.incomingReliableSeq = (next.reliableSeq + next.fragmentCount - 1) & 0xFFFF;
            peer.waitingBytes -= next.data.length;
            delivered = true;
            deliver(peer, channel, next.data);
        }
        if (delivered && peer.state.acceptsData()) {
            ch.incomingUnreliableSeq = 0;
            releaseHeldUnreliable(peer, channel, ch);
        }
    }

    private void acceptUnreliable(Peer peer, int channel, ChannelState ch, IncomingMessage message) {
        int cur = ch.incomingReliableSeq;
        if (message.reliableSeq == cur) {
            if (message.unreliableSeq <= ch.incomingUnreliableSeq) {
                return;
            }
            ch.incomingUnreliableSeq = message.unreliableSeq;
            discardStaleFragments(peer, ch);
            deliver(peer, channel, message.data);
            return;
        }
        if (reliableWindow(ch, message.reliableSeq) != Outcome.OK) {
            return;
        }
        for (IncomingMessage held : ch.heldUnreliable) {
            if (held.reliableSeq == message.reliableSeq && held.unreliableSeq == message.unreliableSeq) {
                return;
            }
        }
        if (!admit(peer, ch, message.data.length)) {
            return;
        }
        ch.heldUnreliable.add(message);
    }

    private void releaseHeldUnreliable(Peer peer, int channel, ChannelState ch) {
        if (ch.heldUnreliable.isEmpty() && ch.unreliableFragments.isEmpty()) {
            return;
        }
        int cur = ch.incomingReliableSeq;
        List<IncomingMessage> ready = new ArrayList<>();
        for (Iterator<IncomingMessage> it = ch.heldUnreliable.iterator(); it.hasNext(); ) {
            IncomingMessage held = it.next();
            if (held.reliableSeq == cur) {
                ready.add(held);
                it.remove();
                peer.waitingBytes -= held.data.length;
            } else if (reliableWindow(ch, held.reliableSeq) != Outcome.OK) {
                it.remove();
                peer.waitingBytes -= held.data.length;
            }
        }
        discardStaleFragments(peer, ch);
        ready.sort((a, b) -> Integer.compare(a.unreliableSeq, b.unreliableSeq));
        for (IncomingMessage message : ready) {
            if (!peer.state.acceptsData()) {
                return;
            }
            if (message.unreliableSeq > ch.incomingUnreliableSeq) {
                ch.incomingUnreliableSeq = message.unreliableSeq;
                deliver(peer, channel, message.data);
            }
        }
    }

    private void discardStaleFragments(Peer peer, ChannelState ch) {
        if (ch.unreliableFragments.isEmpty()) {
            return;
        }
        int cur = ch.incomingReliableSeq;
        for (Iterator<IncomingMessage> it = ch.unreliableFragments.values().iterator(); it.hasNext(); ) {
            IncomingMessage partial = it.next();
            boolean stale = partial.reliableSeq == cur ? partial.unreliableSeq <= ch.incomingUnreliableSeq
                    : reliableWindow(ch, partial.reliableSeq) != Outcome.OK;
            if (stale) {
                it.remove();
                peer.waitingBytes -= partial.data.length;
            }
        }
    }

    private void deliver(Peer peer, int channel, byte[] data) {
        try {
            listener.onReceive(peer.id, channel, data);
        } catch (RuntimeException e) {
            log.error("receive listener failed for {}", peer.address, e);
        }
    }

    // ---------------------------------------------------------------- sending

    private void queue(Peer peer, Outgoing command) {
        if (!command.reliable) {
            peer.unreliableQueued++;
        }
        peer.outgoing.add(command);
        peer.queuedBytes += command.payload();
    }

    private int nextControlSeq(Peer peer) {
        peer.outgoingControlSeq = (peer.outgoingControlSeq + 1) & 0xFFFF;
        return peer.outgoingControlSeq;
    }

    /** Builds and sends datagrams for one peer until it has nothing more it may send now. */
    private void flush(Peer peer, long now) {
        while (peer.state != PeerState.DISCONNECTED && peer.state != PeerState.ZOMBIE) {
            ByteBuf body = newDatagram(peer.mtu);
            int limit = peer.mtu - FULL_HEADER_SIZE - checksumSize;
            int commands = 0;
            boolean reliableIncluded = false;
            boolean full = false;
            boolean acknowledgedDisconnect = false;
            int ackCount = 0;
            for (Ack ack : peer.acknowledgements) {
                if (commands >= MAXIMUM_PACKET_COMMANDS || body.readableBytes() + 8 > limit) {
                    full = true;
                    break;
                }
                CommandCodec.encode(new Command.Acknowledge(ack.channel(), ack.seq(), ack.seq(), ack.sentTime()), body);
                commands++;
                ackCount++;
                acknowledgedDisconnect |= ack.disconnect() && peer.state == PeerState.ACKNOWLEDGING_DISCONNECT;
            }
            peer.acknowledgements.subList(0, ackCount).clear();
            boolean windowBlocked = false;
            for (Iterator<Outgoing> it = peer.outgoing.iterator(); it.hasNext() && !full; ) {
                Outgoing command = it.next();
                int size = command.command.wireSize();
                if (commands >= MAXIMUM_PACKET_COMMANDS || body.readableBytes() + size > limit) {
                    full = true;
                    break;
                }
                if (command.reliable) {
                    if (windowBlocked || !mayTransmit(peer, command)) {
                        windowBlocked = true;
                        if (peer.unreliableQueued == 0) {
                            break;
                        }
                        continue;
                    }
                    it.remove();
                    CommandCodec.encode(command.command, body);
                    commands++;
                    reliableIncluded = true;
                    markSent(peer, command, now);
                } else {
                    it.remove();
                    peer.unreliableQueued--;
                    peer.queuedBytes -= command.payload();
                    if (command.throttleable) {
                        peer.packetThrottleCounter = (peer.packetThrottleCounter + PEER_PACKET_THROTTLE_COUNTER)
                                % PEER_PACKET_THROTTLE_SCALE;
                        if (peer.packetThrottleCounter > peer.packetThrottle) {
                            // As C ENet: a throttled unreliable message goes whole, every fragment of it.
                            if (command.command instanceof Command.SendFragment first) {
                                dropRestOfMessage(peer, it, first);
                            }
                            peer.messagesDropped++;
                            continue;
                        }
                    }
                    CommandCodec.encode(command.command, body);
                    commands++;
                }
            }
            if (!reliableIncluded && needsPing(peer, now)
                    && commands < MAXIMUM_PACKET_COMMANDS && body.readableBytes() + 4 <= limit) {
                Outgoing ping = new Outgoing(new Command.Ping(nextControlSeq(peer)), true, false);
                CommandCodec.encode(ping.command, body);
                commands++;
                reliableIncluded = true;
                peer.lastPingSent = now;
                markSent(peer, ping, now);
            }
            if (commands == 0) {
                body.release();
                return;
            }
            transmit(peer, body, reliableIncluded, now);
            if (acknowledgedDisconnect) {
                finish(peer, DisconnectCause.REMOTE, peer.disconnectData);
                return;
            }
            if (peer.state == PeerState.DISCONNECT_LATER && !peer.hasOutgoingWork()) {
                disconnect(peer, peer.disconnectData);
                continue;
            }
            if (!full) {
                return;
            }
        }
    }

    /** Removes the fragments after {@code first} of the same unreliable message (queued right behind it). */
    private static void dropRestOfMessage(Peer peer, Iterator<Outgoing> it, Command.SendFragment first) {
        for (int left = first.fragmentCount() - 1; left > 0 && it.hasNext(); left--) {
            Outgoing next = it.next();
            if (next.reliable || !(next.command instanceof Command.SendFragment fragment)
                    || fragment.channel() != first.channel() || fragment.startSeq() != first.startSeq()
                    || fragment.seq() != first.seq()) {
                return; // not part of this message: it stays queued for the next flush
            }
            it.remove();
            peer.unreliableQueued--;
            peer.queuedBytes -= next.payload();
        }
    }

    /**
     * C ENet pings only a peer with nothing reliable in flight. We also ping, once per interval,
     * while reliable commands wait for acknowledgements that do not come: on a lossy link a
     * command whose sends or acks are lost a few times in a row would otherwise be the only
     * traffic that can prove the peer alive, and a live peer would be declared dead. A peer that
     * acknowledges nothing still times out exactly as before.
     */
    private boolean needsPing(Peer peer, long now) {
        if (!peer.state.acceptsData() || now - peer.lastReceiveTime < settings.pingIntervalMillis()) {
            return false;
        }
        return peer.sentReliable.isEmpty() || now - peer.lastPingSent >= settings.pingIntervalMillis();
    }

    private boolean mayTransmit(Peer peer, Outgoing command) {
        int channel = command.channel();
        if (channel == CONTROL_CHANNEL) {
            return true;
        }
        if (command.attempts == 0 && channel < peer.channels.length) {
            ChannelState ch = peer.channels[channel];
            int seq = command.seq();
            int window = seq / PEER_RELIABLE_WINDOW_SIZE;
            if (seq % PEER_RELIABLE_WINDOW_SIZE == 0) {
                int mask = (1 << (PEER_FREE_RELIABLE_WINDOWS + 2)) - 1;
                int span = ((mask << window) | (mask >>> (PEER_RELIABLE_WINDOWS - window))) & 0xFFFF;
                if (ch.reliableWindows[(window + PEER_RELIABLE_WINDOWS - 1) % PEER_RELIABLE_WINDOWS]
                        >= PEER_RELIABLE_WINDOW_SIZE || (ch.usedReliableWindows & span) != 0) {
                    return false;
                }
            }
        }
        if (command.payload() > 0) {
            long window = Math.max((long) peer.windowSize * peer.packetThrottle / PEER_PACKET_THROTTLE_SCALE, peer.mtu);
            return peer.reliableDataInTransit + command.payload() <= window;
        }
        return true;
    }

    private void markSent(Peer peer, Outgoing command, long now) {
        if (command.attempts == 0) {
            command.rto = peer.roundTripTime + 4 * peer.roundTripTimeVariance;
            int channel = command.channel();
            if (channel != CONTROL_CHANNEL && channel < peer.channels.length) {
                ChannelState ch = peer.channels[channel];
                int window = command.seq() / PEER_RELIABLE_WINDOW_SIZE;
                ch.reliableWindows[window]++;
                ch.usedReliableWindows |= 1 << window;
            }
        } else {
            retransmits++;
        }
        command.attempts++;
        command.sentTime = now;
        if (peer.sentReliable.isEmpty()) {
            peer.nextTimeout = now + command.rto;
        }
        peer.sentReliable.add(command);
        peer.reliableDataInTransit += command.payload();
    }

    /** Room kept in front of the commands for the longest header: peer word, sent time, checksum. */
    private static final int HEADER_ROOM = 8;

    private ByteBuf newDatagram(int mtu) {
        ByteBuf datagram = allocator.buffer(mtu + HEADER_ROOM);
        datagram.writerIndex(HEADER_ROOM);
        datagram.readerIndex(HEADER_ROOM);
        return datagram;
    }

    /** Writes the header in front of the commands already in {@code datagram} and sends it. */
    private void transmit(Peer peer, ByteBuf datagram, boolean withSentTime, long now) {
        int headerSize = withSentTime ? 4 : 2;
        int start = HEADER_ROOM - headerSize - checksumSize;
        int word = peer.remotePeerId;
        if (peer.remotePeerId != MAXIMUM_PEER_ID) {
            word |= peer.outgoingSessionId << HEADER_SESSION_SHIFT;
        }
        if (withSentTime) {
            word |= HEADER_FLAG_SENT_TIME;
        }
        datagram.setShort(start, word);
        if (withSentTime) {
            datagram.setShort(start + 2, (int) (now & 0xFFFF));
        }
        datagram.readerIndex(start);
        if (checksumSize > 0) {
            datagram.setInt(start + headerSize, 0);
            Checksum.seal(datagram, headerSize, peer.remotePeerId == MAXIMUM_PEER_ID ? 0 : peer.connectId);
        }
        peer.packetsSent++;
        peer.bytesSent += datagram.readableBytes();
        datagramsSent++;
        bytesSent += datagram.readableBytes();
        sink.send(peer.address, datagram);
    }

    /**
     * The retransmission timeout stops doubling here (C ENet's doubles without bound). A timeout
     * that grows past the dead-peer minimum would declare a live peer on a lossy link dead the
     * moment one command needs eight sends, since only the time since that command's last send
     * counts once other acknowledgements arrive.
     */
    private long maximumRetransmitTimeout() {
        return settings.timeoutMinimumMillis() / 4;
    }

    /** Returns true when the peer was declared dead. */
    private boolean checkTimeouts(Peer peer, long now) {
        List<Outgoing> expired = new ArrayList<>();
        for (Iterator<Outgoing> it = peer.sentReliable.iterator(); it.hasNext(); ) {
            Outgoing command = it.next();
            if (now - command.sentTime < command.rto) {
                continue;
            }
            if (peer.earliestTimeout == 0 || command.sentTime < peer.earliestTimeout) {
                peer.earliestTimeout = command.sentTime;
            }
            long elapsed = now - peer.earliestTimeout;
            long doublings = command.attempts >= 40 ? Long.MAX_VALUE : 1L << (command.attempts - 1);
            if (elapsed >= settings.timeoutMaximumMillis()
                    || doublings >= settings.timeoutLimit() && elapsed >= settings.timeoutMinimumMillis()) {
                timedOut(peer);
                return true;
            }
            it.remove();
            peer.reliableDataInTransit -= command.payload();
            peer.packetsLost++;
            command.rto = Math.min(command.rto * 2, Math.max(command.rto, maximumRetransmitTimeout()));
            expired.add(command);
        }
        for (int i = expired.size() - 1; i >= 0; i--) {
            peer.outgoing.addFirst(expired.get(i));
        }
        peer.nextTimeout = peer.sentReliable.isEmpty() ? now
                : peer.sentReliable.get(0).sentTime + peer.sentReliable.get(0).rto;
        return false;
    }

    // ---------------------------------------------------------------- endings

    /** enet_peer_disconnect: drop queues, send a reliable DISCONNECT, wait for its ack. */
    private void disconnect(Peer peer, int data) {
        switch (peer.state) {
            case DISCONNECTING, DISCONNECTED, ACKNOWLEDGING_DISCONNECT, ZOMBIE -> {
                return;
            }
            case CONNECTED, DISCONNECT_LATER -> {
                clearQueues(peer);
                queue(peer, new Outgoing(new Command.Disconnect(nextControlSeq(peer), true, data), true, false));
                peer.state = PeerState.DISCONNECTING;
                dirty.add(peer);
            }
            default -> dropNow(peer, data, DisconnectCause.LOCAL);
        }
    }

    private void dropNow(Peer peer, int data, DisconnectCause cause) {
        if (peer.state == PeerState.DISCONNECTED) {
            return;
        }
        if (peer.state != PeerState.ZOMBIE && peer.state != PeerState.DISCONNECTING) {
            clearQueues(peer);
            ByteBuf body = newDatagram(16);
            CommandCodec.encode(new Command.Disconnect(nextControlSeq(peer), false, data), body);
            transmit(peer, body, false, clock.getAsLong());
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

    private void violation(Peer peer, String reason) {
        log.warn("disconnecting {}: {}", peer.address, reason);
        dropNow(peer, 0, DisconnectCause.VIOLATION);
    }

    private void timedOut(Peer peer) {
        switch (peer.state) {
            case CONNECTING -> {
                CompletableFuture<ConnectionId> future = peer.connectFuture;
                forget(peer);
                if (future != null) {
                    future.completeExceptionally(new java.util.concurrent.TimeoutException("no answer from the remote host"));
                }
            }
            case ACKNOWLEDGING_CONNECT -> forget(peer);
            case DISCONNECTING -> finish(peer, localCause(), 0);
            default -> finish(peer, DisconnectCause.TIMEOUT, 0);
        }
    }

    private DisconnectCause localCause() {
        return shuttingDown ? DisconnectCause.SHUTDOWN : DisconnectCause.LOCAL;
    }

    /** Raises the disconnect event of a connection the application knew, then frees the slot. */
    private void finish(Peer peer, DisconnectCause cause, int data) {
        ConnectionId id = peer.id;
        forget(peer);
        bandwidthRecalc = true;
        try {
            listener.onDisconnect(id, cause, data);
        } catch (RuntimeException e) {
            log.error("disconnect listener failed", e);
        }
    }

    private void forget(Peer peer) {
        if (peer.id != null) {
            byConnection.remove(peer.id.value());
        }
        dirty.remove(peer);
        peer.reset();
    }

    private void clearQueues(Peer peer) {
        peer.acknowledgements.clear();
        peer.outgoing.clear();
        peer.unreliableQueued = 0;
        peer.sentReliable.clear();
        peer.reliableDataInTransit = 0;
        peer.queuedBytes = 0;
        for (ChannelState ch : peer.channels) {
            ch.incomingReliable.clear();
            ch.heldUnreliable.clear();
            ch.unreliableFragments.clear();
            Arrays.fill(ch.reliableWindows, 0);
            ch.usedReliableWindows = 0;
        }
        peer.waitingBytes = 0;
    }

    private void notifyConnect(Peer peer, int data) {
        try {
            listener.onConnect(peer.id, peer.address, peer.channels.length, data);
        } catch (RuntimeException e) {
            log.error("connect listener failed", e);
        }
    }

    private Peer freeSlot() {
        for (Peer peer : peers) {
            if (peer.state == PeerState.DISCONNECTED) {
                return peer;
            }
        }
        return null;
    }

    private static int clampWindow(int window) {
        return Math.max(MINIMUM_WINDOW_SIZE, Math.min(window, MAXIMUM_WINDOW_SIZE));
    }
}
