package dev.alloplace.place;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.OutboundMessage;
import dev.alloplace.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop turn's outgoing messages, handed to the transport as one batch when the turn ends
 * (a heartbeat's diffs for every client cross to the network thread at once), and before any
 * disconnect, which must follow what was sent first. Owned by the place thread.
 */
final class Outbox {

    private final Transport transport;
    private final PlaceMetrics metrics;
    private List<OutboundMessage> batch = new ArrayList<>();

    Outbox(Transport transport, PlaceMetrics metrics) {
        this.transport = transport;
        this.metrics = metrics;
    }

    /** Queues {@code payload} for the agent; the transport owns it from here on. */
    void send(Agent to, int channel, byte[] payload, Delivery delivery) {
        metrics.sent(to.layout().roleOf(channel).orElse(null), payload.length);
        batch.add(new OutboundMessage(to.connection(), channel, payload, delivery));
    }

    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<OutboundMessage> handed = batch;
        batch = new ArrayList<>(Math.max(16, handed.size()));
        transport.send(handed);
    }

    /** Disconnects after everything queued so far, this turn's messages included. */
    void disconnectLater(ConnectionId connection, int reason) {
        flush();
        transport.disconnectLater(connection, reason);
    }

    void disconnectNow(ConnectionId connection, int reason) {
        flush();
        transport.disconnectNow(connection, reason);
    }
}
