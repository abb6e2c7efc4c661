package dev.alloplace.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory twin of the ENet transport for fast tests: hosts on one network connect to each
 * other by address, every message arrives once and in order, and each host delivers its events
 * on its own thread, as the real transport does.
 */
public final class InMemoryNetwork {

    private final Map<InetSocketAddress, Host> hosts = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40000);
    private final AtomicLong nextConnection = new AtomicLong(1);

    /** A new host with its own fake loopback address. */
    public Transport host() {
        return new Host(new InetSocketAddress("127.0.0.1", nextPort.getAndIncrement()));
    }

    private record Link(Host remote, ConnectionId remoteId) {
    }

    private static void post(ExecutorService executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // that host was shut down; like a vanished peer, it hears nothing more
        }
    }

    private final class Host implements Transport {
        private final InetSocketAddress address;
        private final ExecutorService events;
        private final Map<ConnectionId, Link> links = new ConcurrentHashMap<>();
        private volatile TransportListener listener;

        Host(InetSocketAddress address) {
            this.address = address;
            this.events = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "in-memory-" + address.getPort());
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public CompletableFuture<InetSocketAddress> start(TransportListener newListener) {
            listener = newListener;
            hosts.put(address, this);
            return CompletableFuture.completedFuture(address);
        }

        @Override
        public CompletableFuture<ConnectionId> connect(InetSocketAddress remote, int channelCount, int data) {
            Host other = hosts.get(remote);
            if (other == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("nobody listens on " + remote));
            }
            ConnectionId mine = new ConnectionId(nextConnection.getAndIncrement());
            ConnectionId theirs = new ConnectionId(nextConnection.getAndIncrement());
            links.put(mine, new Link(other, theirs));
            other.links.put(theirs, new Link(this, mine));
            CompletableFuture<ConnectionId> done = new CompletableFuture<>();
            post(other.events, () -> other.listener.onConnect(theirs, address, channelCount, data));
            post(events, () -> {
                listener.onConnect(mine, remote, channelCount, 0);
                done.complete(mine);
            });
            return done;
        }

        @Override
        public void send(ConnectionId id, int channel, byte[] payload, Delivery delivery) {
            Link link = links.get(id);
            if (link == null) {
                return;
            }
            byte[] copy = payload.clone();
            post(link.remote().events, () -> {
                if (link.remote().links.containsKey(link.remoteId())) {
                    link.remote().listener.onReceive(link.remoteId(), channel, copy);
                }
            });
        }

        /** As the ENet transport: a batch reaches each remote host as one task, in order. */
        @Override
        public void send(List<OutboundMessage> batch) {
            Map<Host, List<Runnable>> byRemote = new LinkedHashMap<>();
            for (OutboundMessage message : batch) {
                Link link = links.get(message.connection());
                if (link == null) {
                    continue;
                }
                byte[] copy = message.payload().clone();
                byRemote.computeIfAbsent(link.remote(), key -> new ArrayList<>()).add(() -> {
                    if (link.remote().links.containsKey(link.remoteId())) {
                        link.remote().listener.onReceive(link.remoteId(), message.channel(), copy);
                    }
                });
            }
            byRemote.forEach((remote, deliveries) -> post(remote.events, () -> deliveries.forEach(Runnable::run)));
        }

        @Override
        public void disconnectLater(ConnectionId id, int reason) {
            close(id, reason, DisconnectCause.LOCAL);
        }

        @Override
        public void disconnectNow(ConnectionId id, int reason) {
            close(id, reason, DisconnectCause.LOCAL);
        }

        private void close(ConnectionId id, int reason, DisconnectCause localCause) {
            Link link = links.remove(id);
            if (link == null) {
                return;
            }
            post(events, () -> listener.onDisconnect(id, localCause, 0));
            post(link.remote().events, () -> {
                if (link.remote().links.remove(link.remoteId()) != null) {
                    link.remote().listener.onDisconnect(link.remoteId(), DisconnectCause.REMOTE, reason);
                }
            });
        }

        @Override
        public Optional<ConnectionStats> stats(ConnectionId id) {
            return links.containsKey(id) ? Optional.of(new ConnectionStats(0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0)) : Optional.empty();
        }

        @Override
        public TransportStats stats() {
            return new TransportStats(links.size(), 0, 0, 0, 0, 0, 0);
        }

        @Override
        public CompletableFuture<Void> shutdown(int reason, long graceMillis) {
            for (ConnectionId id : links.keySet()) {
                close(id, reason, DisconnectCause.SHUTDOWN);
            }
            hosts.remove(address);
            CompletableFuture<Void> done = new CompletableFuture<>();
            post(events, () -> done.complete(null));
            events.shutdown();
            return done;
        }
    }
}
