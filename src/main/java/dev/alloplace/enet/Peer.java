package dev.alloplace.enet;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One peer slot and everything ENet keeps for the connection in it; owned by the host's loop. */
final class Peer {
    final int index;
    PeerState state = PeerState.DISCONNECTED;
    ConnectionId id;
    InetSocketAddress address;
    int remotePeerId = EnetProtocol.MAXIMUM_PEER_ID;
    int incomingSessionId = 0xFF;
    int outgoingSessionId = 0xFF;
    int connectId;
    int mtu;
    int windowSize = EnetProtocol.MAXIMUM_WINDOW_SIZE;
    int incomingBandwidth;
    int outgoingBandwidth;
    ChannelState[] channels = new ChannelState[0];
    int connectData;
    int disconnectData;
    CompletableFuture<ConnectionId> connectFuture;
    /** Opened by a remote CONNECT and not yet admitted by the application: holds a newcomer slot. */
    boolean newcomer;
    /** When the slot was opened (for the half-open handshake deadline). */
    long openedAt;

    long roundTripTime;
    long roundTripTimeVariance;
    long lastRoundTripTime;
    long lastRoundTripTimeVariance;
    long lowestRoundTripTime;
    long highestRoundTripTimeVariance;
    long throttleEpoch;
    int packetThrottle;
    int packetThrottleLimit;
    int packetThrottleCounter;
    int throttleInterval;
    int throttleAcceleration;
    int throttleDeceleration;
    long lastReceiveTime;
    long lastPingSent;
    long earliestTimeout;
    long nextTimeout;

    int outgoingControlSeq;
    int outgoingUnsequencedGroup;
    int incomingUnsequencedGroup;
    final long[] unsequencedWindow = new long[EnetProtocol.PEER_UNSEQUENCED_WINDOW_SIZE / 64];

    final List<Ack> acknowledgements = new ArrayList<>();
    final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    final ArrayList<Outgoing> sentReliable = new ArrayList<>();
    long reliableDataInTransit;
    int unreliableQueued;
    long queuedBytes;
    long waitingBytes;
    int outOfOrderReliable;

    /** Something the published statistics show changed since they were last published. */
    boolean statsChanged = true;
    long packetsSent;
    long packetsReceived;
    long bytesSent;
    long bytesReceived;
    long packetsLost;
    long messagesDropped;

    Peer(int index) {
        this.index = index;
    }

    /** Back to a free slot; session ids are kept so the next connection in this slot differs. */
    void reset() {
        state = PeerState.DISCONNECTED;
        id = null;
        address = null;
        remotePeerId = EnetProtocol.MAXIMUM_PEER_ID;
        channels = new ChannelState[0];
        connectFuture = null;
        newcomer = false;
        acknowledgements.clear();
        outgoing.clear();
        sentReliable.clear();
        reliableDataInTransit = 0;
        unreliableQueued = 0;
        queuedBytes = 0;
        waitingBytes = 0;
        outOfOrderReliable = 0;
    }

    void open(ConnectionId newId, InetSocketAddress remote, int hostMtu, int channelCount, long now) {
        id = newId;
        address = remote;
        openedAt = now;
        mtu = hostMtu;
        windowSize = EnetProtocol.MAXIMUM_WINDOW_SIZE;
        channels = new ChannelState[channelCount];
        for (int i = 0; i < channelCount; i++) {
            channels[i] = new ChannelState();
        }
        roundTripTime = EnetProtocol.PEER_DEFAULT_ROUND_TRIP_TIME;
        roundTripTimeVariance = 0;
        lastRoundTripTime = EnetProtocol.PEER_DEFAULT_ROUND_TRIP_TIME;
        lowestRoundTripTime = EnetProtocol.PEER_DEFAULT_ROUND_TRIP_TIME;
        lastRoundTripTimeVariance = 0;
        highestRoundTripTimeVariance = 0;
        throttleEpoch = 0;
        packetThrottle = EnetProtocol.PEER_PACKET_THROTTLE_SCALE;
        packetThrottleLimit = EnetProtocol.PEER_PACKET_THROTTLE_SCALE;
        packetThrottleCounter = 0;
        throttleInterval = EnetProtocol.PEER_PACKET_THROTTLE_INTERVAL;
        throttleAcceleration = EnetProtocol.PEER_PACKET_THROTTLE_ACCELERATION;
        throttleDeceleration = EnetProtocol.PEER_PACKET_THROTTLE_DECELERATION;
        lastReceiveTime = 0;
        lastPingSent = 0;
        earliestTimeout = 0;
        nextTimeout = 0;
        outgoingControlSeq = 0;
        outgoingUnsequencedGroup = 0;
        incomingUnsequencedGroup = 0;
        Arrays.fill(unsequencedWindow, 0);
        packetsSent = 0;
        packetsReceived = 0;
        bytesSent = 0;
        bytesReceived = 0;
        packetsLost = 0;
        messagesDropped = 0;
        disconnectData = 0;
        statsChanged = true;
    }

    /** Queues a command behind everything already waiting to be sent. */
    void queue(Outgoing command) {
        if (!command.reliable) {
            unreliableQueued++;
        }
        outgoing.add(command);
        queuedBytes += command.payload();
    }

    int nextControlSeq() {
        outgoingControlSeq = (outgoingControlSeq + 1) & 0xFFFF;
        return outgoingControlSeq;
    }

    /** Drops everything queued, in flight or waiting on this connection (not the counters). */
    void clearQueues() {
        acknowledgements.clear();
        outgoing.clear();
        unreliableQueued = 0;
        sentReliable.clear();
        reliableDataInTransit = 0;
        queuedBytes = 0;
        for (ChannelState ch : channels) {
            ch.clear();
        }
        waitingBytes = 0;
    }

    boolean hasOutgoingWork() {
        return !outgoing.isEmpty() || !sentReliable.isEmpty();
    }

    /** RTT and throttle update from one acknowledgement (ENET.md 5.3, 12.1). */
    void sampleRoundTrip(long rtt, long now) {
        if (lastReceiveTime == 0) {
            roundTripTime = rtt;
            roundTripTimeVariance = (rtt + 1) / 2;
        } else {
            throttle(rtt);
            roundTripTimeVariance -= roundTripTimeVariance / 4;
            if (rtt >= roundTripTime) {
                long diff = rtt - roundTripTime;
                roundTripTimeVariance += diff / 4;
                roundTripTime += diff / 8;
            } else {
                long diff = roundTripTime - rtt;
                roundTripTimeVariance += diff / 4;
                roundTripTime -= diff / 8;
            }
        }
        lowestRoundTripTime = Math.min(lowestRoundTripTime, roundTripTime);
        highestRoundTripTimeVariance = Math.max(highestRoundTripTimeVariance, roundTripTimeVariance);
        if (throttleEpoch == 0 || now - throttleEpoch >= throttleInterval) {
            lastRoundTripTime = lowestRoundTripTime;
            lastRoundTripTimeVariance = Math.max(highestRoundTripTimeVariance, 1);
            lowestRoundTripTime = roundTripTime;
            highestRoundTripTimeVariance = roundTripTimeVariance;
            throttleEpoch = now;
        }
        lastReceiveTime = Math.max(now, 1);
        earliestTimeout = 0;
    }

    private void throttle(long rtt) {
        if (lastRoundTripTime <= lastRoundTripTimeVariance) {
            packetThrottle = packetThrottleLimit;
        } else if (rtt <= lastRoundTripTime) {
            packetThrottle = Math.min(packetThrottle + throttleAcceleration, packetThrottleLimit);
        } else if (rtt > lastRoundTripTime + 2 * lastRoundTripTimeVariance) {
            packetThrottle = Math.max(packetThrottle - throttleDeceleration, 0);
        }
    }

    ConnectionStats snapshot(long retransmits) {
        return new ConnectionStats(roundTripTime, roundTripTimeVariance, packetThrottle, packetsSent,
                packetsReceived, bytesSent, bytesReceived, packetsLost, retransmits, messagesDropped, queuedBytes);
    }
}
