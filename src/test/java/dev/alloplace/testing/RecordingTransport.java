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

/** A transport that does what the one it wraps does, and remembers which connections the place admitted. */
public final class RecordingTransport implements Transport {

    private final Transport inner;
    private final Set<ConnectionId> admitted = ConcurrentHashMap.newKeySet();

    public RecordingTransport(Transport inner) {
        this.inner = inner;
    }

    /** Connections the place called {@link #markAdmitted} for. */
    public Set<ConnectionId> admitted() {
        return Set.copyOf(admitted);
    }

    @Override
    public void markAdmitted(ConnectionId id) {
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
