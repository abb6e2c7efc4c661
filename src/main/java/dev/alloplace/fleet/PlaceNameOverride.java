package dev.alloplace.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.OutboundMessage;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import dev.alloplace.transport.TransportStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives the place the name its allocation chose. The place answers an announce with the name it
 * was configured with; while an allocation has named the place, this transport puts that name
 * into the announce answer instead, as it leaves for the visor.
 *
 * <p>Why a transport: the place's settings are fixed when it starts, before Agones allocates it,
 * and the place loop is not the fleet's to change. The cost stays small: only what is sent to a
 * connection on its commands channel before its announce answer is read (a newcomer gets little
 * else: answers to what it sent too early); once the answer has passed, that connection is not
 * looked at again.
 */
final class PlaceNameOverride implements Transport {

    private final Transport delegate;
    private volatile String name;
    /** Commands channel of each connection still waiting for its announce answer. */
    private final Map<ConnectionId, Integer> awaitingAnswer = new ConcurrentHashMap<>();

    PlaceNameOverride(Transport delegate) {
        this.delegate = delegate;
    }

    /** The name announce answers carry from now on; null to leave them as the place wrote them. */
    void name(String name) {
        this.name = name;
    }

    @Override
    public CompletableFuture<InetSocketAddress> start(TransportListener listener) {
        return delegate.start(new TransportListener() {
            @Override
            public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
                ChannelLayout.forChannelCount(channelCount)
                        .ifPresent(layout -> awaitingAnswer.put(id, layout.commands()));
                listener.onConnect(id, remote, channelCount, data);
            }

            @Override
            public void onReceive(ConnectionId id, int channel, byte[] payload) {
                listener.onReceive(id, channel, payload);
            }

            @Override
            public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
                awaitingAnswer.remove(id);
                listener.onDisconnect(id, cause, data);
            }
        });
    }

    @Override
    public void send(ConnectionId id, int channel, byte[] payload, Delivery delivery) {
        delegate.send(id, channel, named(id, channel, payload), delivery);
    }

    @Override
    public void send(List<OutboundMessage> batch) {
        List<OutboundMessage> out = batch;
        if (!awaitingAnswer.isEmpty()) {
            for (int i = 0; i < batch.size(); i++) {
                OutboundMessage m = batch.get(i);
                byte[] payload = named(m.connection(), m.channel(), m.payload());
                if (payload != m.payload()) {
                    if (out == batch) {
                        out = new ArrayList<>(batch);
                    }
                    out.set(i, new OutboundMessage(m.connection(), m.channel(), payload, m.delivery()));
                }
            }
        }
        delegate.send(out);
    }

    /**
     * The payload as it should leave: a connection's successful announce answer gets the name,
     * if one is set, and ends the watch on that connection either way.
     */
    private byte[] named(ConnectionId id, int channel, byte[] payload) {
        Integer commands = awaitingAnswer.get(id);
        if (commands == null || commands != channel) {
            return payload;
        }
        Interaction answer = announceAnswer(payload);
        if (answer == null) {
            return payload;
        }
        awaitingAnswer.remove(id);
        String current = name;
        if (current == null) {
            return payload;
        }
        ArrayNode renamed = answer.body().deepCopy();
        renamed.set(2, renamed.textNode(current));
        return new Interaction(answer.type(), answer.from(), answer.to(), answer.requestId(), renamed).encode();
    }

    /** The interaction if {@code payload} is the place's successful answer to an announce, else null. */
    private static Interaction announceAnswer(byte[] payload) {
        if (!(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> json)
                || !(Interaction.parse(json.value()) instanceof ParseResult.Success<Interaction> parsed)) {
            return null;
        }
        Interaction answer = parsed.value();
        ArrayNode body = answer.body();
        boolean success = answer.type() == InteractionType.RESPONSE && "place".equals(answer.from())
                && body.size() == 3 && "announce".equals(body.path(0).asText()) && !"error".equals(body.path(1).asText());
        return success ? answer : null;
    }

    @Override
    public CompletableFuture<ConnectionId> connect(InetSocketAddress remote, int channelCount, int data) {
        return delegate.connect(remote, channelCount, data);
    }

    @Override
    public void markAdmitted(ConnectionId id) {
        delegate.markAdmitted(id);
    }

    @Override
    public void disconnectLater(ConnectionId id, int reason) {
        delegate.disconnectLater(id, reason);
    }

    @Override
    public void disconnectNow(ConnectionId id, int reason) {
        delegate.disconnectNow(id, reason);
    }

    @Override
    public Optional<ConnectionStats> stats(ConnectionId id) {
        return delegate.stats(id);
    }

    @Override
    public TransportStats stats() {
        return delegate.stats();
    }

    @Override
    public CompletableFuture<Void> shutdown(int reason, long graceMillis) {
        return delegate.shutdown(reason, graceMillis);
    }
}
