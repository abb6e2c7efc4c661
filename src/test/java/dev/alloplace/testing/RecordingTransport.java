package dev.alloplace.testing;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.OutboundMessage;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import dev.alloplace.transport.TransportStats;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport that does what the one it wraps does, and remembers which connections the place
 * admitted (in order) and what it sent in batches: to whom, on which channel, how, how big.
 */
public final class RecordingTransport implements Transport {

    /** One message of a batch the place sent. */
    public record Sent(ConnectionId to, int channel, Delivery delivery, int bytes) {
    }

    private final Transport inner;
    private final Set<ConnectionId> admitted = ConcurrentHashMap.newKeySet();
    private final List<ConnectionId> admissions = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public RecordingTransport(Transport inner) {
        this.inner = inner;
    }

    /** Connections the place called {@link #markAdmitted} for. */
    public Set<ConnectionId> admitted() {
        return Set.copyOf(admitted);
    }

    /** Connections in the order the place admitted them. */
    public List<ConnectionId> admissions() {
        return List.copyOf(admissions);
    }

    /** What went to {@code to} on {@code channel} in batches so far. */
    public List<Sent> sent(ConnectionId to, int channel) {
        return sent.stream().filter(s -> s.to().equals(to) && s.channel() == channel).toList();
    }

    @Override
    public void markAdmitted(ConnectionId id) {
        admissions.add(id);
        admitted.add(id);
        inner.markAdmitted(id);
    }

    @Override
    public CompletableFuture<InetSocketAddress> start(TransportListener listener) {
        return inner.start(listener);
    }

    @Override
    public CompletableFuture<ConnectionId> connect(InetSocketAddress remote, int channelCount, int data) {
        return inner.connect(remote, channelCount, data);
    }

    @Override
    public void send(ConnectionId id, int channel, byte[] payload, Delivery delivery) {
        inner.send(id, channel, payload, delivery);
    }

    @Override
    public void send(List<OutboundMessage> batch) {
        for (OutboundMessage message : batch) {
            sent.add(new Sent(message.connection(), message.channel(), message.delivery(), message.payload().length));
        }
        inner.send(batch);
    }

    @Override
    public void disconnectLater(ConnectionId id, int reason) {
        inner.disconnectLater(id, reason);
    }

    @Override
    public void disconnectNow(ConnectionId id, int reason) {
        inner.disconnectNow(id, reason);
    }

    @Override
    public Optional<ConnectionStats> stats(ConnectionId id) {
        return inner.stats(id);
    }

    @Override
    public TransportStats stats() {
        return inner.stats();
    }

    @Override
    public CompletableFuture<Void> shutdown(int reason, long graceMillis) {
        return inner.shutdown(reason, graceMillis);
    }
}
