package dev.alloplace.enet;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.util.Objects;

/**
 * Everything an ENet host can be tuned with. Defaults match C ENet 1.3.17 on the wire and
 * allonet's server on timeouts, plus what C ENet lacks: memory caps that grow only with bytes
 * actually received (per peer and host-wide), and a bounded share of the slots for newcomers,
 * so that no peer, and no handful of addresses, can take more than its share of the server.
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
 * @param maxWaitingBytes per peer: bytes received but not yet deliverable (fragments of messages
 *     being reassembled, messages held for an earlier one); over it the peer is disconnected
 * @param maxWaitingBytesTotal the same, summed over every peer; when a new piece would pass it,
 *     the peer holding the most is disconnected
 * @param reassemblyTimeoutMillis a reliable message that waits this long without progress (no new
 *     fragment, the gap before it not filled) gets its peer disconnected; a live sender would
 *     have retransmitted or given up by then. Waiting unreliable messages are just dropped
 * @param maxOutOfOrderReliable per channel: messages held for an earlier gap or being reassembled
 * @param maxQueuedBytes per peer: outgoing bytes queued or in flight; over it the peer is disconnected
 * @param tickMillis period of the host-wide timer (retransmits, pings, timeouts)
 * @param socketBufferBytes SO_RCVBUF / SO_SNDBUF
 * @param maxHalfOpenPerAddress handshakes in progress from one IP address
 * @param maxPeersPerAddress connections from one IP address at once (C ENet's duplicatePeers)
 * @param maxNewcomers slots that connections the application has not admitted yet (half-open
 *     handshakes, and connected peers that have not announced) may hold together
 * @param maxNewcomersPerAddress the same, from one IP address
 * @param handshakeTimeoutMillis a remote's handshake that has not completed after this long is
 *     dropped and its slot freed
 * @param udpSegmentation runs of same-sized datagrams to one peer go to the kernel as one UDP
 *     segmentation offload write where epoll and the kernel have it ({@link SegmentedWrites})
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
        long maxWaitingBytesTotal,
        int reassemblyTimeoutMillis,
        int maxOutOfOrderReliable,
        long maxQueuedBytes,
        int tickMillis,
        int socketBufferBytes,
        int maxHalfOpenPerAddress,
        int maxPeersPerAddress,
        int maxNewcomers,
        int maxNewcomersPerAddress,
        int handshakeTimeoutMillis,
        boolean udpSegmentation) {

    /** What the protocol allows (peer ids, channels, MTU, UDP ports); an operator's ranges are the catalog's. */
    public EnetSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        if (maxPeers < 1 || maxPeers > EnetProtocol.MAXIMUM_PEER_ID) {
            throw new IllegalArgumentException("maxPeers must be 1.." + EnetProtocol.MAXIMUM_PEER_ID + ": " + maxPeers);
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
                || maxWaitingBytesTotal < 1 || reassemblyTimeoutMillis < 1 || maxOutOfOrderReliable < 1
                || maxQueuedBytes < 1 || socketBufferBytes < 1 || maxHalfOpenPerAddress < 1
                || maxPeersPerAddress < 1 || maxNewcomers < 1 || maxNewcomersPerAddress < 1
                || handshakeTimeoutMillis < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * The {@code server.*} settings of {@code config} that concern the ENet host; the rest keep
     * C ENet's and allonet's values.
     */
    public static EnetSettings from(Config config) {
        return new Builder()
                .bind(config.get(Settings.BIND).getHostAddress(), config.get(Settings.PORT))
                .maxPeers(config.get(Settings.MAX_PEERS))
                .maxPeersPerAddress(config.get(Settings.MAX_PEERS_PER_ADDRESS))
                .maxNewcomers(config.get(Settings.MAX_NEWCOMERS))
                .maxNewcomersPerAddress(config.get(Settings.MAX_NEWCOMERS_PER_ADDRESS))
                .handshakeTimeoutMillis(config.get(Settings.HANDSHAKE_TIMEOUT_MS))
                .maxWaitingBytes(config.get(Settings.MAX_REASSEMBLY_BYTES_PER_PEER))
                .maxWaitingBytesTotal(config.get(Settings.MAX_REASSEMBLY_BYTES))
                .reassemblyTimeoutMillis(config.get(Settings.REASSEMBLY_TIMEOUT_MS))
                .socketBufferBytes(config.get(Settings.SOCKET_BUFFER_BYTES))
                .udpSegmentation(config.get(Settings.UDP_SEGMENTATION))
                .build();
    }

    /**
     * A server as {@link Config#defaults()} describes it: allonet's port 21337 and timeouts, 16 MiB
     * per peer waiting for reassembly or order (a burst of small reliable messages over a lossy
     * link holds thousands), 64 MiB in all, newcomers in 64 slots, 16 per address.
     */
    public static EnetSettings defaults() {
        return from(Config.defaults());
    }

    /**
     * An ephemeral-port host on loopback, for clients and tests. A client takes whole states from
     * the place it chose, up to the largest message (32 MiB), so it may hold that much per peer;
     * all its connections go to few addresses, so no per-address cap applies.
     */
    public static EnetSettings loopbackClient() {
        return defaults().toBuilder().bind("127.0.0.1", 0).maxPeersPerAddress(EnetProtocol.MAXIMUM_PEER_ID)
                .maxWaitingBytes(32L * 1024 * 1024).maxWaitingBytesTotal(512L * 1024 * 1024).build();
    }

    /** Starts from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings under construction: made by {@link #from(Config)}, {@link #builder()} or {@link #toBuilder()}. */
    public static final class Builder {
        // Not in the catalog: C ENet 1.3.17's and allonet's values.
        private int channelLimit = 6;
        private int mtu = 1400;
        private boolean checksum;
        private int timeoutLimit = 32;
        private int timeoutMinimumMillis = 10_000;
        private int timeoutMaximumMillis = 20_000;
        private int pingIntervalMillis = 500;
        private int maxPacketSize = 32 * 1024 * 1024;
        private int maxOutOfOrderReliable = 32_768;
        private long maxQueuedBytes = 64L * 1024 * 1024;
        private int tickMillis = 5;
        private int maxHalfOpenPerAddress = 64;
        private boolean udpSegmentation = true;
        // From the catalog (server.*).
        private String bindHost;
        private int port;
        private int maxPeers;
        private long maxWaitingBytes;
        private long maxWaitingBytesTotal;
        private int reassemblyTimeoutMillis;
        private int socketBufferBytes;
        private int maxPeersPerAddress;
        private int maxNewcomers;
        private int maxNewcomersPerAddress;
        private int handshakeTimeoutMillis;

        private Builder() {
        }

        private Builder(EnetSettings s) {
            bindHost = s.bindHost;
            port = s.port;
            maxPeers = s.maxPeers;
            channelLimit = s.channelLimit;
            mtu = s.mtu;
            checksum = s.checksum;
            timeoutLimit = s.timeoutLimit;
            timeoutMinimumMillis = s.timeoutMinimumMillis;
            timeoutMaximumMillis = s.timeoutMaximumMillis;
            pingIntervalMillis = s.pingIntervalMillis;
            maxPacketSize = s.maxPacketSize;
            maxWaitingBytes = s.maxWaitingBytes;
            maxWaitingBytesTotal = s.maxWaitingBytesTotal;
            reassemblyTimeoutMillis = s.reassemblyTimeoutMillis;
            maxOutOfOrderReliable = s.maxOutOfOrderReliable;
            maxQueuedBytes = s.maxQueuedBytes;
            tickMillis = s.tickMillis;
            socketBufferBytes = s.socketBufferBytes;
            maxHalfOpenPerAddress = s.maxHalfOpenPerAddress;
            maxPeersPerAddress = s.maxPeersPerAddress;
            maxNewcomers = s.maxNewcomers;
            maxNewcomersPerAddress = s.maxNewcomersPerAddress;
            handshakeTimeoutMillis = s.handshakeTimeoutMillis;
            udpSegmentation = s.udpSegmentation;
        }

        public Builder bind(String host, int newPort) {
            bindHost = host;
            port = newPort;
            return this;
        }

        public Builder maxPeers(int value) {
            maxPeers = value;
            return this;
        }

        public Builder channelLimit(int value) {
            channelLimit = value;
            return this;
        }

        public Builder mtu(int value) {
            mtu = value;
            return this;
        }

        public Builder checksum(boolean value) {
            checksum = value;
            return this;
        }

        public Builder timeouts(int limit, int minimumMillis, int maximumMillis) {
            timeoutLimit = limit;
            timeoutMinimumMillis = minimumMillis;
            timeoutMaximumMillis = maximumMillis;
            return this;
        }

        public Builder pingIntervalMillis(int value) {
            pingIntervalMillis = value;
            return this;
        }

        public Builder maxPacketSize(int value) {
            maxPacketSize = value;
            return this;
        }

        public Builder maxWaitingBytes(long value) {
            maxWaitingBytes = value;
            return this;
        }

        public Builder maxWaitingBytesTotal(long value) {
            maxWaitingBytesTotal = value;
            return this;
        }

        public Builder reassemblyTimeoutMillis(int value) {
            reassemblyTimeoutMillis = value;
            return this;
        }

        public Builder maxOutOfOrderReliable(int value) {
            maxOutOfOrderReliable = value;
            return this;
        }

        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        public Builder tickMillis(int value) {
            tickMillis = value;
            return this;
        }

        public Builder socketBufferBytes(int value) {
            socketBufferBytes = value;
            return this;
        }

        public Builder maxHalfOpenPerAddress(int value) {
            maxHalfOpenPerAddress = value;
            return this;
        }

        public Builder maxPeersPerAddress(int value) {
            maxPeersPerAddress = value;
            return this;
        }

        public Builder maxNewcomers(int value) {
            maxNewcomers = value;
            return this;
        }

        public Builder maxNewcomersPerAddress(int value) {
            maxNewcomersPerAddress = value;
            return this;
        }

        public Builder handshakeTimeoutMillis(int value) {
            handshakeTimeoutMillis = value;
            return this;
        }

        public Builder udpSegmentation(boolean value) {
            udpSegmentation = value;
            return this;
        }

        public EnetSettings build() {
            return new EnetSettings(bindHost, port, maxPeers, channelLimit, mtu, checksum, timeoutLimit,
                    timeoutMinimumMillis, timeoutMaximumMillis, pingIntervalMillis, maxPacketSize, maxWaitingBytes,
                    maxWaitingBytesTotal, reassemblyTimeoutMillis, maxOutOfOrderReliable, maxQueuedBytes, tickMillis,
                    socketBufferBytes, maxHalfOpenPerAddress, maxPeersPerAddress, maxNewcomers, maxNewcomersPerAddress,
                    handshakeTimeoutMillis, udpSegmentation);
        }
    }
}
