package dev.alloplace.transport;

import java.net.InetSocketAddress;

/**
 * Receives connection events. Called on the transport's own thread, so implementations hand
 * each event off (the place enqueues it for its loop) and return quickly; they must not block.
 */
public interface TransportListener {

    /**
     * A connection completed its handshake.
     *
     * @param channelCount the number of channels the remote asked for (after clamping to the
     *     transport's limit); protocol 3 clients ask for 5, protocol 4 clients for 6
     * @param data the 32-bit value the remote sent with its connect request
     */
    void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data);

    /** A whole message arrived. The array is owned by the listener from now on. */
    void onReceive(ConnectionId id, int channel, byte[] payload);

    /** The connection is gone; no further events for {@code id} follow. */
    void onDisconnect(ConnectionId id, DisconnectCause cause, int data);
}
