package dev.alloplace.enet;

/**
 * Everything an ENet host can be tuned with. Defaults match C ENet 1.3.17 on the wire and
 * allonet's server on timeouts, plus per-peer memory caps that C ENet lacks, so one hostile
 * peer can never take more than its share of the server.
 *
 * @param bindHost address to bind ("127.0.0.1", "0.0.0.0")
 * @param port UDP port, 0 = ephemeral (a pure client host normally uses 0)
 * @param maxPeers peer slots, 1..4095 (C default 128, like allonet's server)
 * @param channelLimit most channels a connection may use, 1..255 (allonet uses 6)
 * @param mtu largest datagram this host builds and proposes, 576..4096
 * @param checksum CRC-32 datagram checksums; both ends must agree, nothing on the wire says so
 * @param timeoutLimit retransmit doublings before the minimum timeout applies (C: 32)
 * @param timeoutMinimumMillis dead after this long unacked once the limit is reached (allonet: 10000)
 * @param timeoutMaximumMillis dead after this long unacked in any case (allonet: 20000)
 * @param pingIntervalMillis keep-alive ping after this long without an acknowledgement
 * @param maxPacketSize largest message accepted or sent, bytes
 * @param maxWaitingBytes per peer: received but not yet deliverable bytes (reassembly buffers,
 *     out-of-order and early unreliable messages); over it the peer is disconnected
 * @param maxOutOfOrderReliable per peer: reliable messages held for an earlier gap
 * @param maxQueuedBytes per peer: outgoing bytes queued or in flight; over it the peer is disconnected
 * @param tickMillis period of the host-wide timer (retransmits, pings, timeouts)
 * @param socketBufferBytes SO_RCVBUF / SO_SNDBUF
 * @param maxPeersPerAddress connections from one IP address at once (C ENet's duplicatePeers)
 * @param maxHalfOpenPerAddress handshakes in progress from one IP address; more CONNECTs from it
 *     are ignored until some complete (the C client retries), so a CONNECT flood cannot fill
 *     every slot
 */
public record EnetSettings(
        String bindHost,
        int port,
        int maxPeers,
        int channelLimit,
        int mtu,
        boolean checksum,
        int timeoutLimit,
        int timeoutMinimumMillis,
        int timeoutMaximumMillis,
        int pingIntervalMillis,
        int maxPacketSize,
        long maxWaitingBytes,
        int maxOutOfOrderReliable,
        long maxQueuedBytes,
        int tickMillis,
        int socketBufferBytes,
        int maxHalfOpenPerAddress,
        int maxPeersPerAddress) {

    public EnetSettings {
        if (maxPeers < 1 || maxPeers > EnetProtocol.MAXIMUM_PEER_ID) {
            throw new IllegalArgumentException("maxPeers must be 1..4095: " + maxPeers);
        }
        if (channelLimit < 1 || channelLimit > EnetProtocol.MAXIMUM_CHANNEL_COUNT) {
            throw new IllegalArgumentException("channelLimit must be 1..255: " + channelLimit);
        }
        if (mtu < EnetProtocol.MINIMUM_MTU || mtu > EnetProtocol.MAXIMUM_MTU) {
            throw new IllegalArgumentException("mtu must be 576..4096: " + mtu);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (timeoutLimit < 1 || timeoutMinimumMillis < 1 || timeoutMaximumMillis < timeoutMinimumMillis) {
            throw new IllegalArgumentException("timeouts need limit >= 1 and 0 < minimum <= maximum");
        }
        if (pingIntervalMillis < 1 || tickMillis < 1 || maxPacketSize < 1 || maxWaitingBytes < 1
                || maxOutOfOrderReliable < 1 || maxQueuedBytes < 1 || socketBufferBytes < 4096 || maxHalfOpenPerAddress < 1
                || maxPeersPerAddress < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** A server on allonet's port 21337 with allonet's limits. */
    public static EnetSettings defaults() {
        return new EnetSettings("0.0.0.0", 21337, 128, 6, 1400, false, 32, 10_000, 20_000, 500,
                32 * 1024 * 1024, 32L * 1024 * 1024, 32_768, 64L * 1024 * 1024, 5, 256 * 1024, 64, 4095);
    }

    /** An ephemeral-port host on loopback, for clients and tests. */
    public static EnetSettings loopbackClient() {
        return defaults().withBind("127.0.0.1", 0);
    }

    public EnetSettings withBind(String host, int newPort) {
        return new EnetSettings(host, newPort, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withMaxPeers(int peers) {
        return new EnetSettings(bindHost, port, peers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withChecksum(boolean enabled) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, enabled, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withTimeouts(int limit, int minimumMillis, int maximumMillis) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, limit, minimumMillis,
                maximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes, maxOutOfOrderReliable,
                maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withLimits(int packetSize, long waitingBytes, int outOfOrder, long queuedBytes) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, packetSize, waitingBytes, outOfOrder,
                queuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withChannelLimit(int limit) {
        return new EnetSettings(bindHost, port, maxPeers, limit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withMaxHalfOpenPerAddress(int limit) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, limit, maxPeersPerAddress);
    }

    public EnetSettings withSocketBufferBytes(int bytes) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, bytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }

    public EnetSettings withMaxPeersPerAddress(int limit) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, limit);
    }

    public EnetSettings withMtu(int newMtu) {
        return new EnetSettings(bindHost, port, maxPeers, channelLimit, newMtu, checksum, timeoutLimit,
                timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                maxOutOfOrderReliable, maxQueuedBytes, tickMillis, socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress);
    }
}
