package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.identity.PlaceIdentity;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.state.StateSettings;
import dev.alloplace.state.World;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place loop: one thread that owns the agents and the world. Transport events and tasks
 * arrive on a many-producer queue; each turn of the loop moves them into the agents' own queues, runs the heartbeat when it is due, gives each agent's queue a fair slice, and
 * hands everything the turn sent to the network thread in one batch. With nothing to do it
 * parks until the next heartbeat or event. The clock is injected, so tests can step it.
 */
public final class Place {

    private static final Logger log = LoggerFactory.getLogger(Place.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Events taken from the queue per turn at most, so that a stream of them cannot hold off the heartbeat. */
    private static final int DRAIN_LIMIT = 8192;
    /** How often a place with nobody in it beats: its clock, persistence and timeouts still move, and it costs nothing. */
    private static final long DORMANT_PERIOD_NANOS = 1_000_000_000L;

    private final PlaceSettings settings;
    private final Transport transport;
    private final LongSupplier clock;
    private final long period;
    private final World world;
    private final EventQueue events = new EventQueue();
    private final Extensions extensions;
    private final PlaceMetrics metrics;
    private final Outbox outbox;
    private final LoopContext context;
    private final FairQueues queues;
    private final Admission admission;
    private final Router router;
    private final StateDelivery delivery;
    private final Inputs inputs;
    private final IdentityGate identities;
    private final String publicKey;
    private final LoopRunner runner;
    private final List<CompletableFuture<LoopHealth>> heartbeatWaiters = new ArrayList<>();
    /** Announced agents whose intents arrived in this turn's drain: each agent's latest is read once. */
    private final List<Agent> intentsArrived = new ArrayList<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private long lastTickNanos;
    /** When the last heartbeat began, once there was one. */
    private long lastBeatNanos;
    private boolean beaten;
    /** When the next heartbeat is due at the place's rate (what lateness is measured against). */
    private volatile long nextHeartbeatNanos;
    /** When the loop runs its next heartbeat: the rate's deadline, or a second after the last while the place is empty. */
    private volatile long dueNanos;
    /** No agent and nobody waiting for a heartbeat: the place beats once a second. */
    private boolean dormant;
    private volatile long queuedMessages;
    private volatile long queuedBytes;
    private volatile boolean stopped;

    public Place(PlaceSettings settings, StateSettings stateSettings, Transport transport, MeterRegistry meters,
            List<PlaceExtension> extensions, LongSupplier nanoClock) {
        this(settings, stateSettings, transport, meters, extensions, nanoClock, PlaceIdentity.ephemeral());
    }

    /** A place known by {@code identity}'s key (the daemon's lives in the data directory). */
    public Place(PlaceSettings settings, StateSettings stateSettings, Transport transport, MeterRegistry meters,
            List<PlaceExtension> extensions, LongSupplier nanoClock, PlaceIdentity identity) {
        this.settings = settings;
        this.transport = transport;
        this.clock = nanoClock;
        this.period = 1_000_000_000L / settings.heartbeatHz();
        this.world = new World(stateSettings);
        this.extensions = new Extensions(extensions);
        this.metrics = new PlaceMetrics(meters, settings.heartbeatHz());
        this.outbox = new Outbox(transport, metrics);
        this.context = new LoopContext(settings, world, transport, outbox, events, this.extensions, metrics, nanoClock);
        this.queues = new FairQueues(settings.fairShare(), new Turns());
        EntityIds ids = new EntityIds();
        context.wire(queues, new SpawnPlanner(settings, world, ids, context.budget()));
        this.admission = new Admission(settings, context, world, queues, outbox, ids);
        this.router = new Router(settings, context, metrics);
        this.delivery = new StateDelivery(settings, world, transport, outbox, metrics, context.agents());
        this.identities = new IdentityGate(identity, context, queues, metrics);
        this.publicKey = identity.key().publicKeyText();
        PlaceHandlers handlers = new PlaceHandlers();
        CoreHandlers.install(handlers);
        handlers.register(IdentityGate.CHALLENGE, identities::challenge);
        this.extensions.all().forEach(extension -> extension.install(handlers));
        this.inputs = new Inputs(settings, context, handlers, this.extensions, admission,
                new AnnounceHandler(context, this.extensions, delivery, transport), identities, router, delivery,
                metrics);
        this.runner = new LoopRunner("alloplace-place", new Loop(), events);
        Map<String, JsonNode> placeComponents = new LinkedHashMap<>();
        placeComponents.put("transform", SpawnPlanner.identityTransform());
        placeComponents.put("clock", F.objectNode().put("time", 0.0));
        world.createEntity("place", World.PLACE_OWNER, placeComponents);
        ids.reserve("place");
        this.nextHeartbeatNanos = nanoClock.getAsLong() + period;
        this.dueNanos = nextHeartbeatNanos;
    }

    /** Starts listening and the loop; completes with the bound UDP address. */
    public CompletableFuture<InetSocketAddress> start() {
        return transport.start(new Events()).thenApply(address -> {
            runner.start();
            return address;
        });
    }

    /** Tells every client, waits for them up to {@code grace}, then stops the loop. */
    public CompletableFuture<Void> stop(Duration grace) {
        try {
            call(place -> {
                extensions.each("to stop", "", extension -> extension.stop(place));
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("extensions did not stop cleanly: {}", e.toString());
        }
        transport.shutdown(0, grace.toMillis()).whenComplete((ignored, error) -> {
            stopped = true;
            runner.stop().whenComplete((done, failure) -> terminated.complete(null));
        });
        return terminated;
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Runs {@code action} on the place thread (admin queries and commands). */
    public <T> CompletableFuture<T> call(Function<PlaceContext, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(action.apply(context));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (!events.offer(new LoopEvent.Task(task, result))) {
            result.completeExceptionally(new RejectedExecutionException("the place has stopped"));
        }
        return result;
    }

    /**
     * Completes after the next heartbeat that begins after this call (by the place's clock), with
     * the loop's health right after it; one that began before the loop got to this request counts.
     */
    public CompletableFuture<LoopHealth> nextHeartbeat() {
        CompletableFuture<LoopHealth> beat = new CompletableFuture<>();
        long asked = clock.getAsLong();
        if (!events.offer(new LoopEvent.Task(() -> {
            if (beaten && lastBeatNanos - asked > 0) {
                beat.complete(health());
                return;
            }
            heartbeatWaiters.add(beat);
            wakeUp();
        }, beat))) {
            beat.completeExceptionally(new RejectedExecutionException("the place has stopped"));
        }
        return beat;
    }

    public PlaceStats stats() {
        return metrics.stats();
    }

    public PlaceSettings settings() {
        return settings;
    }

    /** The place's public key (base64url): who this place is, across restarts when its key is kept. */
    public String publicKey() {
        return publicKey;
    }

    /**
     * How the loop keeps up, computed now on the calling thread: a loop stuck in one piece of
     * work shows as a heartbeat growing late, whether or not it gets to publish anything.
     */
    public LoopHealth health() {
        PlaceStats stats = metrics.stats();
        // A loop waiting for its deadline is late only once that deadline has passed; one busy
        // with something (or stuck in it) is late by the place's rate.
        long due = events.loopParked() ? dueNanos : nextHeartbeatNanos;
        long lateness = Math.max(0, clock.getAsLong() - due) / 1_000_000;
        long backlog = queuedMessages + events.messages();
        long backlogBytes = queuedBytes + events.messageBytes();
        Readiness bounds = settings.readiness();
        String problem = stopped ? "the place has stopped"
                : stats.heartbeats() == 0 ? "the place has not beaten yet"
                : lateness > bounds.maxHeartbeatLateness().toMillis() ? "the heartbeat is " + lateness + " ms late"
                : backlog > bounds.maxBacklogMessages() ? backlog + " messages are waiting for the place loop" : null;
        return new LoopHealth(problem == null, problem == null ? "ready" : problem, stats.heartbeats(),
                stats.lastTickEpochMillis(), lateness, backlog, backlogBytes);
    }

    // ------------------------------------------------------------------ the loop

    private int doWork() {
        int work = drain();
        publishBacklog();
        if (dormant && !(context.agents().isEmpty() && heartbeatWaiters.isEmpty())) {
            wakeUp();
        }
        if (heartbeatDue()) {
            // What arrived since the last turn (intents do not wake the loop) is handled before
            // the heartbeat uses it, unless that would make the heartbeat late by a tenth of its period.
            long lateBy = clock.getAsLong() + period / 10;
            work += queues.round(() -> clock.getAsLong() - lateBy >= 0);
            heartbeat(clock.getAsLong());
            work++;
        }
        work += queues.round(this::heartbeatDue);
        outbox.flush();
        publishBacklog();
        return work;
    }

    private void publishBacklog() {
        queuedMessages = queues.messages();
        queuedBytes = queues.bytes();
    }

    private boolean heartbeatDue() {
        return clock.getAsLong() - dueNanos >= 0;
    }

    /** Someone arrived (or waits for a heartbeat): back to the place's rate, beating at once if one is overdue. */
    private void wakeUp() {
        if (dormant) {
            dormant = false;
            nextHeartbeatNanos = lastTickNanos + period;
            dueNanos = nextHeartbeatNanos;
        }
    }

    /**
     * Moves what arrived into the agents' queues; connects, disconnects and tasks happen now.
     * An announced agent's intents skip its queue: intents are state, so of those that arrived
     * together (four per agent between two heartbeats at 5 Hz) only the latest is read.
     */
    private int drain() {
        int drained = 0;
        for (LoopEvent event; drained < DRAIN_LIMIT && (event = events.poll()) != null; drained++) {
            try {
                if (event instanceof LoopEvent.Received message) {
                    Agent agent = context.agentOn(message.connection());
                    if (agent == null || agent.leaving()) {
                        continue;
                    }
                    if (agent.announced() && message.channel() == agent.layout().stateDiffs()) {
                        if (inputs.intentArrived(agent, message.payload())) {
                            intentsArrived.add(agent);
                        }
                    } else {
                        queues.add(agent, message);
                    }
                } else if (event instanceof LoopEvent.Connected connect) {
                    admission.connected(connect.connection(), connect.remote(), connect.channelCount());
                } else if (event instanceof LoopEvent.Disconnected disconnect) {
                    Agent agent = context.agentOn(disconnect.connection());
                    if (agent != null) {
                        log.debug("connection of agent {} ended: {}", agent.id(), disconnect.cause());
                        agent.leaveReason(0, ended(disconnect.cause()));
                        queues.close(agent);
                    }
                } else if (event instanceof LoopEvent.Task task) {
                    task.action().run();
                }
            } catch (RuntimeException e) {
                log.error("place event failed", e);
            }
        }
        for (Agent agent : intentsArrived) {
            try {
                inputs.latestIntent(agent);
            } catch (RuntimeException e) {
                log.error("reading an intent failed", e);
            }
        }
        intentsArrived.clear();
        return drained;
    }

    private void heartbeat(long start) {
        long cpuStart = metrics.cpuNow();
        double dt = Math.min((start - lastTickNanos) / 1e9, 0.2);
        lastTickNanos = start;
        lastBeatNanos = start;
        beaten = true;
        nextHeartbeatNanos += period;
        if (start - nextHeartbeatNanos > period) {
            nextHeartbeatNanos = start + period;
        }
        dueNanos = nextHeartbeatNanos;
        double serverTime = context.serverTime();
        world.setComponent("place", "clock", F.objectNode().put("time", serverTime));
        extensions.each("during a heartbeat", "", extension -> extension.tick(context, serverTime, dt));
        router.expire(start);
        admission.expire(start);
        context.budget().heartbeat(start, context.agents());
        queues.heartbeat(start, context.agents());
        delivery.heartbeat(start);
        metrics.sampleRoundTrips(start, context.agents(), transport);
        metrics.heartbeatEnded(clock.getAsLong() - start, cpuStart, context.agents(), world);
        if (!heartbeatWaiters.isEmpty()) {
            LoopHealth health = health();
            heartbeatWaiters.forEach(waiter -> waiter.complete(health));
            heartbeatWaiters.clear();
        }
        dormant = context.agents().isEmpty();
        if (dormant) {
            dueNanos = start + DORMANT_PERIOD_NANOS;
        }
    }

    private static String ended(DisconnectCause cause) {
        return switch (cause) {
            case REMOTE -> "disconnected";
            case LOCAL -> "disconnected by the place";
            case TIMEOUT -> "timed out";
            case VIOLATION -> "broke a transport limit";
            case SHUTDOWN -> "the server is shutting down";
        };
    }

    /** The agent's connection ended and what it sent before has been handled: it leaves. */
    private void leave(Agent agent) {
        context.remove(agent);
        for (String entityId : world.ownedBy(agent.id())) {
            context.removeEntity(entityId, true);
        }
        router.left(agent);
        extensions.each("to clean up after", agent.id(), extension -> extension.agentLeft(context, agent));
        log.info("agent {} ({}) left", agent.id(), agent.displayName());
    }

    private final class Loop implements LoopRunner.LoopAgent {
        @Override
        public void onStart() {
            lastTickNanos = clock.getAsLong();
            nextHeartbeatNanos = lastTickNanos + period;
            dueNanos = nextHeartbeatNanos;
            extensions.each("to start", "", extension -> extension.start(context));
        }

        @Override
        public int doWork() {
            return Place.this.doWork();
        }

        @Override
        public long idleNanos() {
            return dueNanos - clock.getAsLong();
        }

        @Override
        public void onClose() {
            outbox.flush();
            identities.close();
            heartbeatWaiters.forEach(waiter -> waiter.completeExceptionally(new RejectedExecutionException("stopped")));
        }
    }

    /** What the fair queues do with each agent's messages. */
    private final class Turns implements FairQueues.Handler {
        @Override
        public void handle(Agent agent, LoopEvent.Received message) {
            metrics.worked(FairQueues.cost(message.payload()));
            inputs.received(agent, message.channel(), message.payload());
        }

        @Override
        public void drained(Agent agent) {
            leave(agent);
        }

        @Override
        public void overloaded(Agent agent, String why) {
            context.disconnect(agent, DisconnectReason.BACKLOG, why);
        }
    }

    /**
     * Transport events, from the network thread, onto the loop's queue. Everything wakes the loop
     * except intents: they are only used by the next heartbeat, which handles what arrived before
     * it, so a thousand intents a second cost no thousand wake-ups. The intent channel of each
     * connection is known from its channel count.
     */
    private final class Events implements TransportListener {
        private final Map<ConnectionId, Integer> intentChannels = new ConcurrentHashMap<>();

        @Override
        public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
            ChannelLayout.ofConnection(channelCount).ifPresent(layout -> intentChannels.put(id, layout.stateDiffs()));
            events.offer(new LoopEvent.Connected(id, remote, channelCount));
        }

        @Override
        public void onReceive(ConnectionId id, int channel, byte[] payload) {
            Integer intents = intentChannels.get(id);
            events.offer(new LoopEvent.Received(id, channel, payload), intents == null || intents != channel);
        }

        @Override
        public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
            intentChannels.remove(id);
            events.offer(new LoopEvent.Disconnected(id, cause));
        }
    }
}
