package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds datagrams from what peers have queued, as C ENet's {@code enet_protocol_send_outgoing_commands}
 * does: acknowledgements first, then commands while the send windows and the packet throttle let
 * them go, a ping when a peer would otherwise fall silent; and keeps the peers that have
 * something new to send (ENET.md 6.2, 10, 12, 13).
 */
final class Flusher {

    /** How a {@link #flush} ended, for the caller to act on the peer's state. */
    enum Result {
        /** Nothing more may be sent now. */
        DONE,
        /** The acknowledgement of the remote's DISCONNECT went out: the connection is over. */
        DISCONNECT_ACKNOWLEDGED,
        /** A disconnect-later peer has delivered everything: it may now be disconnected. */
        DRAINED
    }

    /** Room kept in front of the commands for the longest header: peer word, sent time, checksum. */
    private static final int HEADER_ROOM = 8;

    private final EnetSettings settings;
    private final DatagramBuffers buffers;
    private final EnetHost.DatagramSink sink;
    private final HostCounters counters;
    private final Retransmission retransmission;
    private final int checksumSize;
    private final Set<Peer> dirty = new LinkedHashSet<>();
    private long lastBandwidthTick;
    private boolean bandwidthChanged;

    Flusher(EnetSettings settings, ByteBufAllocator allocator, EnetHost.DatagramSink sink, HostCounters counters,
            Retransmission retransmission) {
        this.settings = settings;
        this.buffers = new DatagramBuffers(allocator, settings.mtu() + HEADER_ROOM);
        this.sink = sink;
        this.counters = counters;
        this.retransmission = retransmission;
        this.checksumSize = settings.checksum() ? CHECKSUM_SIZE : 0;
    }

    /** The host is closing: the datagram buffers go back to the allocator. */
    void close() {
        buffers.close();
    }

    // ---------------------------------------------------------------- who needs a flush

    void markDirty(Peer peer) {
        dirty.add(peer);
    }

    void forget(Peer peer) {
        dirty.remove(peer);
    }

    /** The peers marked since the last call, in the order they were marked. */
    List<Peer> takeDirty() {
        List<Peer> touched = new ArrayList<>(dirty);
        dirty.clear();
        return touched;
    }

    boolean anyDirty() {
        return !dirty.isEmpty();
    }

    void clearDirty() {
        dirty.clear();
    }

    // ---------------------------------------------------------------- bandwidth and throttle

    /** A peer came or went: C ENet then tells every peer its bandwidth limits at the next interval. */
    void bandwidthChanged() {
        bandwidthChanged = true;
    }

    /** A change waits for the next bandwidth interval to be told to every peer. */
    boolean bandwidthNoticePending() {
        return bandwidthChanged;
    }

    /** True once per bandwidth interval while a change is pending (the tick then notifies each peer). */
    boolean startBandwidthTick(long now) {
        if (now - lastBandwidthTick < BANDWIDTH_THROTTLE_INTERVAL) {
            return false;
        }
        lastBandwidthTick = now;
        boolean notify = bandwidthChanged;
        bandwidthChanged = false;
        return notify;
    }

    static void queueBandwidthNotice(Peer peer) {
        peer.queue(new Outgoing(new Command.BandwidthLimit(peer.nextControlSeq(), 0, 0), true, false));
    }

    static Outcome bandwidthLimit(Peer peer, Command.BandwidthLimit limit) {
        if (!peer.state.acceptsData()) {
            return Outcome.REJECT;
        }
        peer.incomingBandwidth = limit.incomingBandwidth();
        peer.outgoingBandwidth = limit.outgoingBandwidth();
        peer.windowSize = windowFor(limit.incomingBandwidth());
        return Outcome.DONE;
    }

    static Outcome throttleConfigure(Peer peer, Command.ThrottleConfigure throttle) {
        if (!peer.state.acceptsData()) {
            return Outcome.REJECT;
        }
        peer.throttleInterval = throttle.interval();
        peer.throttleAcceleration = throttle.acceleration();
        peer.throttleDeceleration = throttle.deceleration();
        return Outcome.DONE;
    }

    /** The reliable window C ENet derives from a peer's incoming bandwidth (0 = unlimited). */
    static int windowFor(int incomingBandwidth) {
        return incomingBandwidth == 0 ? MAXIMUM_WINDOW_SIZE
                : clampWindow((int) ((Integer.toUnsignedLong(incomingBandwidth) / PEER_WINDOW_SIZE_SCALE)
                        * MINIMUM_WINDOW_SIZE));
    }

    static int clampWindow(int window) {
        return Math.max(MINIMUM_WINDOW_SIZE, Math.min(window, MAXIMUM_WINDOW_SIZE));
    }

    // ---------------------------------------------------------------- datagrams

    /** Builds and sends datagrams for one peer until it has nothing more it may send now. */
    Result flush(Peer peer, long now) {
        if (peer.acknowledgements.isEmpty() && peer.outgoing.isEmpty() && !needsPing(peer, now)) {
            return Result.DONE; // most datagrams a place receives are unreliable intents: nothing to answer
        }
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
                    retransmission.sent(peer, command, now);
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
                Outgoing ping = new Outgoing(new Command.Ping(peer.nextControlSeq()), true, false);
                CommandCodec.encode(ping.command, body);
                commands++;
                reliableIncluded = true;
                peer.lastPingSent = now;
                retransmission.sent(peer, ping, now);
            }
            if (commands == 0) {
                buffers.giveBack(body);
                return Result.DONE;
            }
            transmit(peer, body, reliableIncluded, now);
            if (acknowledgedDisconnect) {
                return Result.DISCONNECT_ACKNOWLEDGED;
            }
            if (peer.state == PeerState.DISCONNECT_LATER && !peer.hasOutgoingWork()) {
                return Result.DRAINED;
            }
            if (!full) {
                return Result.DONE;
            }
        }
        return Result.DONE;
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

    /** The send-side reliable windows and the byte window scaled by the throttle (ENET.md 6.2). */
    private static boolean mayTransmit(Peer peer, Outgoing command) {
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

    ByteBuf newDatagram(int mtu) {
        ByteBuf datagram = buffers.take(mtu + HEADER_ROOM);
        datagram.writerIndex(HEADER_ROOM);
        datagram.readerIndex(HEADER_ROOM);
        return datagram;
    }

    /** Writes the header in front of the commands already in {@code datagram} and sends it to the peer. */
    void transmit(Peer peer, ByteBuf datagram, boolean withSentTime, long now) {
        int session = peer.remotePeerId == MAXIMUM_PEER_ID ? -1 : peer.outgoingSessionId;
        int seed = peer.remotePeerId == MAXIMUM_PEER_ID ? 0 : peer.connectId;
        int bytes = transmitTo(peer.address, peer.remotePeerId, session, seed, datagram, withSentTime, now);
        peer.packetsSent++;
        peer.bytesSent += bytes;
        peer.statsChanged = true;
    }

    /**
     * Sends a datagram to an address that holds no slot here (a refused CONNECT), addressed to the
     * remote's own peer id so its ENet delivers the commands to the connection that asked.
     */
    void transmitUnbound(InetSocketAddress to, int remotePeerId, int connectId, ByteBuf datagram, long now) {
        transmitTo(to, remotePeerId, -1, connectId, datagram, false, now);
    }

    private int transmitTo(InetSocketAddress to, int remotePeerId, int session, int checksumSeed, ByteBuf datagram,
            boolean withSentTime, long now) {
        int headerSize = withSentTime ? 4 : 2;
        int start = HEADER_ROOM - headerSize - checksumSize;
        int word = remotePeerId;
        if (session >= 0) {
            word |= session << HEADER_SESSION_SHIFT;
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
            Checksum.seal(datagram, headerSize, checksumSeed);
        }
        int bytes = datagram.readableBytes();
        counters.sent(bytes);
        sink.send(to, buffers.handOver(datagram));
        return bytes;
    }
}
