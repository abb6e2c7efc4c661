package dev.alloplace.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The narrow view of the network that the place and the client library have: connections,
 * channels, messages. The ENet host implements it for real traffic; {@code InMemoryNetwork}
 * implements it for fast tests. Every method is thread-safe and never blocks on the network:
 * sends are queued to the transport's own thread.
 */
public interface Transport extends AutoCloseable {

    /**
     * Binds (if this transport listens) and starts delivering events to {@code listener}.
     * Completes with the bound local address.
     */
    CompletableFuture<InetSocketAddress> start(TransportListener listener);

    /** Opens a connection to a listening transport; completes when the handshake is done. */
    CompletableFuture<ConnectionId> connect(InetSocketAddress remote, int channelCount, int data);

    /**
     * Queues one message. Unknown or closed connections are ignored. The transport owns
     * {@code payload} from here on: the caller must not change it (it may share it between sends).
     */
    void send(ConnectionId id, int channel, byte[] payload, Delivery delivery);

    /**
     * Queues a batch of messages in order, as one hand-off to the transport's thread where the
     * transport supports it (a heartbeat's diffs for every client). Ownership as for
     * {@link #send(ConnectionId, int, byte[], Delivery)}.
     */
    default void send(List<OutboundMessage> batch) {
        for (OutboundMessage message : batch) {
            send(message.connection(), message.channel(), message.payload(), message.delivery());
        }
    }

    /**
     * The place accepted this connection as a member (it announced). Until then a connection is
     * a newcomer, and newcomers together may hold only a bounded share of the transport's slots,
     * per address and in total, so a handshake flood cannot lock honest peers out.
     */
    default void markAdmitted(ConnectionId id) {
    }

    /**
     * Disconnects once everything queued so far has been delivered, telling the remote
     * {@code reason}. Completes the disconnect event with cause {@link DisconnectCause#LOCAL}.
     */
    void disconnectLater(ConnectionId id, int reason);

    /** Disconnects at once, dropping whatever is queued, telling the remote {@code reason}. */
    void disconnectNow(ConnectionId id, int reason);

    /** Counters of one live connection, or empty if it is unknown or gone. */
    Optional<ConnectionStats> stats(ConnectionId id);

    /** Host-wide counters. */
    TransportStats stats();

    /**
     * Tells every connected peer {@code reason}, waits up to {@code graceMillis} for their
     * acknowledgements, then releases the socket and threads.
     */
    CompletableFuture<Void> shutdown(int reason, long graceMillis);

    @Override
    default void close() {
        shutdown(0, 0).join();
    }
}
