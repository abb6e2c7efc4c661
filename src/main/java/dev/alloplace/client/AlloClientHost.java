package dev.alloplace.client;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import dev.alloplace.transport.TransportStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many clients on one transport and one thread: the thread owns every client's mirror, pending
 * requests and handlers, so a load generator can run hundreds of agents cheaply and tests see a
 * single, ordered view. Handlers and future continuations run on that thread; keep them short.
 */
public final class AlloClientHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlloClientHost.class);
    private static final int MAX_EARLY_EVENTS = 1024;

    private final Transport transport;
    private final ScheduledExecutorService loop;
    private final Map<ConnectionId, AlloClient> clients = new HashMap<>();
    private final Map<ConnectionId, List<Runnable>> early = new HashMap<>();

    private AlloClientHost(Transport transport, String threadName) {
        this.transport = transport;
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts {@code transport} with this host as its listener. */
    public static AlloClientHost start(Transport transport) {
        AlloClientHost host = new AlloClientHost(transport, "alloclient");
        transport.start(host.new Events()).join();
        return host;
    }

    /** Connects a new client; complete once the ENet handshake is done (not yet announced). */
    public CompletableFuture<AlloClient> connect(InetSocketAddress place, ClientOptions options) {
        return transport.connect(place, options.layout().channelCount(), 0).thenApplyAsync(id -> {
            AlloClient client = new AlloClient(this, id, options);
            clients.put(id, client);
            List<Runnable> pending = early.remove(id);
            if (pending != null) {
                pending.forEach(Runnable::run);
            }
            client.started();
            return client;
        }, loop);
    }

    Transport transport() {
        return transport;
    }

    /** Counters of this host's network side. */
    public TransportStats transportStats() {
        return transport.stats();
    }

    ScheduledExecutorService loop() {
        return loop;
    }

    void forget(ConnectionId id) {
        clients.remove(id);
    }

    @Override
    public void close() {
        try {
            transport.shutdown(0, 200).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("client transport shutdown: {}", e.toString());
        }
        loop.shutdownNow();
    }

    private void dispatch(ConnectionId id, Consumer<AlloClient> event) {
        loop.execute(() -> {
            AlloClient client = clients.get(id);
            if (client != null) {
                event.accept(client);
                return;
            }
            List<Runnable> queue = early.computeIfAbsent(id, key -> new ArrayList<>());
            if (queue.size() < MAX_EARLY_EVENTS) {
                queue.add(() -> event.accept(clients.get(id)));
            }
        });
    }

    private final class Events implements TransportListener {
        @Override
        public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
            // The connect future reports the handshake; nothing else to do.
        }

        @Override
        public void onReceive(ConnectionId id, int channel, byte[] payload) {
            dispatch(id, client -> client.received(channel, payload));
        }

        @Override
        public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
            dispatch(id, client -> client.closed(cause, data));
        }
    }
}
