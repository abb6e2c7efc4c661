package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.IntentCodec;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.state.EncodedState;
import dev.alloplace.state.EntityView;
import dev.alloplace.state.StateSettings;
import dev.alloplace.state.World;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place: agents, the world and the heartbeat, all owned by one thread. Transport events and
 * admin calls are queued onto that thread; each heartbeat runs the extensions (simulation),
 * closes a revision and sends every client its diff.
 */
public final class Place {

    private static final Logger log = LoggerFactory.getLogger(Place.class);
    public static final int PROTOCOL_OUTDATED = 1003;
    public static final int KICKED = 1005;
    private static final String OUTDATED_MESSAGE = "Please update your app. Outdated network protocol.";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final PlaceSettings settings;
    private final Transport transport;
    private final List<PlaceExtension> extensions;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService loop;
    private final World world;
    private final EntityIds ids = new EntityIds();
    private final PlaceHandlers handlers = new PlaceHandlers();
    private final Map<ConnectionId, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Agent> agentsById = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final ArrayDeque<Pending> pendingByAge = new ArrayDeque<>();
    private final Context context = new Context();
    private final long startNanos;
    private final Timer heartbeatTimer;
    private final MeterRegistry meters;
    private final Map<String, Counter> interactionCounters = new HashMap<>();
    private final Map<String, DistributionSummary> channelSummaries = new HashMap<>();
    private DistributionSummary roundTrips;
    private long lastRttSampleNanos;
    private boolean revisionClosedSinceHeartbeat;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile PlaceStats stats = PlaceStats.EMPTY;
    private long lastTickNanos;
    /** A paced (slow) client still gets a diff this often. */
    private static final long DIFF_PACING_GAP_NANOS = 250_000_000L;
    private final long[] recentHeartbeats;
    /** CPU time of the place thread in each heartbeat: the work itself, without waiting for a core. */
    private final long[] recentHeartbeatCpu;
    private final java.lang.management.ThreadMXBean threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
    private long heartbeats;
    private long diffBytes;
    private long mergeBytes;
    private long mergeContentBytes;
    private long routed;
    private long refused;

    /** A request routed to another agent, waiting for that agent's response. */
    private record Pending(String key, Agent requester, Agent responder, Interaction request, long createdNanos) {
    }

    public Place(PlaceSettings settings, StateSettings stateSettings, Transport transport, MeterRegistry meters,
            List<PlaceExtension> extensions, LongSupplier nanoClock) {
        this.settings = settings;
        this.transport = transport;
        this.extensions = List.copyOf(extensions);
        this.nanoClock = nanoClock;
        this.world = new World(stateSettings);
        this.recentHeartbeats = new long[Math.max(1, settings.heartbeatHz() * 60)];
        this.recentHeartbeatCpu = new long[recentHeartbeats.length];
        this.startNanos = nanoClock.getAsLong();
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alloplace-place");
            thread.setDaemon(true);
            return thread;
        });
        this.heartbeatTimer = Timer.builder("alloplace.heartbeat").description("time to simulate and send one heartbeat")
                .publishPercentileHistogram().register(meters);
        this.meters = meters;
        CoreHandlers.install(handlers);
        for (PlaceExtension extension : this.extensions) {
            extension.install(handlers);
        }
        ObjectNode transform = F.objectNode();
        transform.set("matrix", identity());
        Map<String, JsonNode> placeComponents = new LinkedHashMap<>();
        placeComponents.put("transform", transform);
        placeComponents.put("clock", F.objectNode().put("time", 0.0));
        world.createEntity("place", World.PLACE_OWNER, placeComponents);
        ids.reserve("place");
    }

    /** Starts listening and the heartbeat; completes with the bound UDP address. */
    public CompletableFuture<InetSocketAddress> start() {
        return transport.start(new Events()).thenApply(address -> {
            loop.execute(() -> {
                for (PlaceExtension extension : extensions) {
                    try {
                        extension.start(context);
                    } catch (RuntimeException e) {
                        log.error("{} failed to start", extension.getClass().getSimpleName(), e);
                    }
                }
            });
            long period = 1_000_000_000L / settings.heartbeatHz();
            lastTickNanos = nanoClock.getAsLong();
            loop.scheduleAtFixedRate(this::safeHeartbeat, period, period, TimeUnit.NANOSECONDS);
            return address;
        });
    }

    /** Tells every client, waits for them up to {@code grace}, then stops the loop. */
    public CompletableFuture<Void> stop(Duration grace) {
        try {
            CompletableFuture.runAsync(() -> {
                for (PlaceExtension extension : extensions) {
                    try {
                        extension.stop(context);
                    } catch (RuntimeException e) {
                        log.error("{} failed to stop", extension.getClass().getSimpleName(), e);
                    }
                }
            }, loop).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("extensions did not stop cleanly: {}", e.toString());
        }
        transport.shutdown(0, grace.toMillis()).whenComplete((ignored, error) -> {
            loop.shutdown();
            terminated.complete(null);
        });
        return terminated;
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Runs {@code action} on the place thread (admin queries and commands). */
    public <T> CompletableFuture<T> call(Function<PlaceContext, T> action) {
        return CompletableFuture.supplyAsync(() -> action.apply(context), loop);
    }

    public PlaceStats stats() {
        return stats;
    }

    public PlaceSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ heartbeat

    private void safeHeartbeat() {
        try {
            heartbeat();
        } catch (RuntimeException | Error e) {
            // Anything escaping here would cancel the periodic heartbeat for good (an OutOfMemoryError
            // included): the place keeps beating and says so.
            log.error("heartbeat failed", e);
        }
    }

    private void heartbeat() {
        long start = nanoClock.getAsLong();
        long cpuStart = threadCpu.getCurrentThreadCpuTime();
        double dt = Math.min((start - lastTickNanos) / 1e9, 0.2);
        lastTickNanos = start;
        double serverTime = context.serverTime();
        world.setComponent("place", "clock", F.objectNode().put("time", serverTime));
        for (PlaceExtension extension : extensions) {
            try {
                extension.tick(context, serverTime, dt);
            } catch (RuntimeException e) {
                log.error("{} failed during a heartbeat", extension.getClass().getSimpleName(), e);
            }
        }
        expireRequests(start);
        world.closeRevision();
        revisionClosedSinceHeartbeat = false;
        long interval = settings.setResendInterval().toNanos();
        // Who gets what is decided before anything is encoded: a full state only in the heartbeat
        // that sends it, never again while the previous one is still on its way (reliable delivery
        // will finish it; a second copy would only queue behind it and double the load), and only
        // while fewer than the limit are being delivered place-wide.
        int setsInFlight = 0;
        java.util.Set<Long> bases = new java.util.HashSet<>();
        List<Agent> mergeable = new ArrayList<>();
        List<Agent> awaitingWorld = new ArrayList<>();
        for (Agent agent : agents.values()) {
            if (!receivesState(agent)) {
                continue;
            }
            if (!world.needsFullState(agent.ackRevision())) {
                bases.add(agent.ackRevision());
                mergeable.add(agent);
            } else if (fullStatePending(agent, start, interval)) {
                setsInFlight++;
            } else {
                awaitingWorld.add(agent);
            }
        }
        world.preparePatches(bases);
        for (Agent agent : awaitingWorld) {
            if (setsInFlight++ >= settings.maxFullStatesInFlight()) {
                break;
            }
            sendState(agent, world.stateFor(agent.ackRevision()), start);
        }
        for (Agent agent : mergeable) {
            if (agent.mayGetDiff(start, settings.maxUnacknowledgedDiffs(), DIFF_PACING_GAP_NANOS)) {
                sendState(agent, world.stateFor(agent.ackRevision()), start);
            }
        }
        if (start - lastRttSampleNanos >= 1_000_000_000L) {
            lastRttSampleNanos = start;
            if (roundTrips == null) {
                roundTrips = DistributionSummary.builder("alloplace.enet.rtt").baseUnit("milliseconds")
                        .description("smoothed ENet round-trip time of each agent, sampled once a second")
                        .publishPercentiles(0.5, 0.99).register(meters);
            }
            for (Agent agent : agents.values()) {
                transport.stats(agent.connection()).ifPresent(s -> roundTrips.record(s.roundTripTimeMillis()));
            }
        }
        heartbeats++;
        long took = nanoClock.getAsLong() - start;
        long cpu = Math.max(0, threadCpu.getCurrentThreadCpuTime() - cpuStart);
        recentHeartbeatCpu[(int) (heartbeats % recentHeartbeatCpu.length)] = cpu;
        heartbeatTimer.record(took, TimeUnit.NANOSECONDS);
        int announced = 0;
        for (Agent agent : agents.values()) {
            if (agent.announced()) {
                announced++;
            }
        }
        recentHeartbeats[(int) (heartbeats % recentHeartbeats.length)] = took;
        int samples = (int) Math.min(heartbeats, recentHeartbeats.length);
        long[] wall = p50p99(recentHeartbeats, samples);
        long[] cpuTimes = p50p99(recentHeartbeatCpu, samples);
        stats = new PlaceStats(agents.size(), announced, world.entityCount(), world.componentCount(),
                world.revision(), heartbeats, took, diffBytes, mergeBytes, mergeContentBytes, routed, refused,
                System.currentTimeMillis(), wall[0], wall[1], cpuTimes[0], cpuTimes[1]);
    }

    /** Median and 99th percentile of the first {@code samples} values of a ring of heartbeat times. */
    private static long[] p50p99(long[] ring, int samples) {
        long[] sorted = java.util.Arrays.copyOf(ring, samples);
        java.util.Arrays.sort(sorted);
        return new long[] {sorted[samples / 2], sorted[Math.min(samples - 1, (int) (samples * 0.99))]};
    }

    /**
     * Only announced agents get the world: the announce answer is not queued behind a megabyte
     * of state, and a bare ENet connection (a scanner, a flood) cannot make the place send it
     * (see docs/compatibility.md: allonet servers send to every peer).
     */
    private static boolean receivesState(Agent agent) {
        return agent.announced() && !agent.leaving();
    }

    /** A full state sent to the agent is unconfirmed within its patience, or still being delivered. */
    private boolean fullStatePending(Agent agent, long now, long patience) {
        return agent.setSentBefore() && (!agent.mayResendSet(now, patience)
                || transport.stats(agent.connection()).map(stats -> stats.bytesPending() > 0).orElse(false));
    }

    private void sendState(Agent agent, EncodedState state, long now) {
        diffBytes += state.json().length;
        if (state.isSet()) {
            agent.setSent(now, state.revision());
        } else {
            agent.diffSent(now);
            mergeBytes += state.json().length;
            mergeContentBytes += state.contentBytes();
        }
        // A full state is big and needed whole: reliable (flow-controlled) fragments. Merges are
        // superseded by the next one, so a lost fragment should not hold the channel: unreliable.
        sendCounted(agent, agent.layout().stateDiffs(), state.json(),
                state.isSet() ? Delivery.RELIABLE : Delivery.UNRELIABLE_FRAGMENTED);
    }

    // ------------------------------------------------------------------ connections

    private void connected(ConnectionId connection, InetSocketAddress remote, int channelCount) {
        ChannelLayout layout = channelCount == ChannelLayout.V3.channelCount() ? ChannelLayout.V3
                : channelCount >= ChannelLayout.V4.channelCount() ? ChannelLayout.V4 : null;
        if (layout == null) {
            log.info("refusing {}: {} channels is no protocol version we speak", remote, channelCount);
            transport.disconnectNow(connection, PROTOCOL_OUTDATED);
            return;
        }
        Agent agent = new Agent(ids.nextAgentId(), connection, remote, layout);
        agents.put(connection, agent);
        agentsById.put(agent.id(), agent);
        log.info("agent {} connected from {} (protocol {})", agent.id(), remote, layout.version());
    }

    private void disconnected(ConnectionId connection, DisconnectCause cause) {
        Agent agent = agents.remove(connection);
        if (agent == null) {
            return;
        }
        agentsById.remove(agent.id());
        for (String entityId : world.ownedBy(agent.id())) {
            removeEntity(entityId, true);
        }
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending request = it.next().getValue();
            if (request.requester() == agent) {
                it.remove();
            } else if (request.responder() == agent) {
                it.remove();
                request.requester().pendingRequests(-1);
                answer(request.requester(), request.request(),
                        PlaceContext.error(request.request().name(), "recipient disconnected"));
            }
        }
        for (PlaceExtension extension : extensions) {
            try {
                extension.agentLeft(context, agent);
            } catch (RuntimeException e) {
                log.error("{} failed to clean up after {}", extension.getClass().getSimpleName(), agent.id(), e);
            }
        }
        log.info("agent {} ({}) left: {}", agent.id(), agent.displayName(), cause);
    }

    private void received(ConnectionId connection, int channel, byte[] payload) {
        Agent agent = agents.get(connection);
        if (agent == null || agent.leaving()) {
            return;
        }
        Optional<ChannelRole> role = agent.layout().roleOf(channel);
        channelMeters(role.map(Enum::name).orElse("UNKNOWN"), "in").record(payload.length);
        if (role.isEmpty()) {
            refuse(agent, "message on channel " + channel + " outside the layout");
            return;
        }
        switch (role.get()) {
            case COMMANDS -> command(agent, payload);
            case STATE_DIFFS -> intent(agent, payload);
            case CLOCK -> clock(agent, payload);
            case ASSETS, AUDIO, VIDEO, MEDIA -> frame(agent, role.get(), payload);
        }
    }

    // ------------------------------------------------------------------ channels

    private void intent(Agent agent, byte[] payload) {
        if (payload.length > settings.maxIntentBytes()) {
            refuse(agent, "intent of " + payload.length + " bytes");
            return;
        }
        if (!(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> json)) {
            refuse(agent, "unreadable intent");
            return;
        }
        if (!(IntentCodec.decode(json.value()) instanceof ParseResult.Success<Intent> intent)) {
            refuse(agent, "not an intent");
            return;
        }
        agent.intent(intent.value().withEntityId(agent.avatarId()));
    }

    private void clock(Agent agent, byte[] payload) {
        if (payload.length > 4096 || !(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> json)
                || !json.value().isObject() || !json.value().path("client_time").isNumber()) {
            refuse(agent, "unreadable clock request");
            return;
        }
        ObjectNode answer = ((ObjectNode) json.value()).deepCopy();
        answer.put("server_time", context.serverTime());
        sendCounted(agent, agent.layout().clock(), ProtocolJson.write(answer), Delivery.UNRELIABLE);
    }

    private void frame(Agent agent, ChannelRole role, byte[] payload) {
        for (PlaceExtension extension : extensions) {
            try {
                if (extension.frame(context, agent, role, payload)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("{} failed on a {} frame", extension.getClass().getSimpleName(), role, e);
                return;
            }
        }
        refuse(agent, role + " frame nobody handles");
    }

    private void command(Agent agent, byte[] payload) {
        if (payload.length > settings.maxCommandBytes()) {
            refuse(agent, "command of " + payload.length + " bytes, limit " + settings.maxCommandBytes());
            return;
        }
        ParseResult<JsonNode> json = ProtocolJson.read(payload);
        if (json instanceof ParseResult.Failure<JsonNode> failure) {
            refuse(agent, failure.reason());
            return;
        }
        ParseResult<Interaction> parsed = Interaction.parse(((ParseResult.Success<JsonNode>) json).value());
        if (parsed instanceof ParseResult.Failure<Interaction> failure) {
            refuse(agent, failure.reason());
            return;
        }
        interaction(agent, ((ParseResult.Success<Interaction>) parsed).value());
    }

    private void interaction(Agent agent, Interaction interaction) {
        String name = interaction.name();
        int token = agent.takeToken(nanoClock.getAsLong(), settings.interactionsPerSecond(), settings.interactionBurst());
        if (token <= 0) {
            count(interaction, "rate_limited");
            if (token < 0) {
                log.warn("disconnecting agent {}: kept sending above {} interactions per second", agent.id(),
                        settings.interactionsPerSecond());
                context.kick(agent, KICKED);
            } else if (interaction.type() == InteractionType.REQUEST) {
                answer(agent, interaction, PlaceContext.error(name, "rate_limited"));
            }
            return;
        }
        boolean isAnnounce = "announce".equals(name) && "place".equals(interaction.to())
                && interaction.type() == InteractionType.REQUEST;
        if (!isAnnounce && !agent.announced()) {
            forbidden(agent, interaction, "announce first");
            return;
        }
        if (!isAnnounce && !ownsSender(agent, interaction.from())) {
            forbidden(agent, interaction, "sender " + interaction.from() + " is not an entity of this agent");
            return;
        }
        for (PlaceExtension extension : extensions) {
            boolean admitted;
            try {
                admitted = extension.admit(context, agent, interaction);
            } catch (RuntimeException e) {
                log.error("{} failed to screen {}", extension.getClass().getSimpleName(), name, e);
                admitted = false;
            }
            if (!admitted) {
                count(interaction, "denied");
                return;
            }
        }
        if (isAnnounce) {
            count(interaction, "handled");
            announce(agent, interaction);
            return;
        }
        if (interaction.type() == InteractionType.RESPONSE) {
            routeResponse(agent, interaction);
        } else if ("place".equals(interaction.to())) {
            placeInteraction(agent, interaction);
        } else if (interaction.type() == InteractionType.PUBLICATION || interaction.to().isEmpty()) {
            for (PlaceExtension extension : extensions) {
                if (extension.publish(context, agent, interaction)) {
                    count(interaction, "routed");
                    return;
                }
            }
            count(interaction, "no_recipient");
            log.debug("publication {} from {} has no subscribers", name, agent.id());
        } else {
            routeToEntity(agent, interaction);
        }
    }

    private boolean ownsSender(Agent agent, String from) {
        return world.entity(from).map(entity -> entity.owner().equals(agent.id())).orElse(false);
    }

    private void forbidden(Agent agent, Interaction interaction, String why) {
        log.debug("forbidden {} from {}: {}", interaction.name(), agent.id(), why);
        count(interaction, "forbidden");
        if (interaction.type() == InteractionType.REQUEST) {
            answer(agent, interaction, Interaction.body("error", "forbidden_request", interaction.name()));
        }
    }

    private void placeInteraction(Agent agent, Interaction interaction) {
        Optional<PlaceHandler> handler = handlers.find(interaction.name());
        if (handler.isEmpty()) {
            count(interaction, "unknown");
            if (interaction.type() == InteractionType.REQUEST) {
                answer(agent, interaction, PlaceContext.error(interaction.name(), "invalid request"));
            }
            return;
        }
        ArrayNode response;
        try {
            response = handler.get().handle(context, agent, interaction);
        } catch (RuntimeException e) {
            log.warn("{} from {} failed: {}", interaction.name(), agent.id(), e.toString());
            response = PlaceContext.error(interaction.name(), "invalid request");
        }
        count(interaction, "handled");
        if (response != null && interaction.type() == InteractionType.REQUEST) {
            answer(agent, interaction, response);
        }
    }

    private void routeToEntity(Agent agent, Interaction interaction) {
        Optional<Agent> owner = context.ownerOf(interaction.to());
        if (owner.isEmpty()) {
            count(interaction, "no_recipient");
            if (interaction.type() == InteractionType.REQUEST) {
                answer(agent, interaction, PlaceContext.error(interaction.name(), "invalid request"));
            }
            return;
        }
        if (interaction.type() == InteractionType.REQUEST) {
            if (agent.pendingRequests() >= settings.maxPendingRequestsPerAgent()) {
                answer(agent, interaction, PlaceContext.error(interaction.name(), "too many pending requests"));
                return;
            }
            String key = pendingKey(owner.get(), interaction.requestId(), interaction.from());
            if (pending.containsKey(key)) {
                answer(agent, interaction, PlaceContext.error(interaction.name(), "duplicate request id"));
                return;
            }
            Pending request = new Pending(key, agent, owner.get(), interaction, nanoClock.getAsLong());
            pending.put(key, request);
            pendingByAge.add(request);
            agent.pendingRequests(1);
        }
        count(interaction, "routed");
        context.send(owner.get(), interaction);
    }

    private void routeResponse(Agent agent, Interaction response) {
        Pending request = pending.remove(pendingKey(agent, response.requestId(), response.to()));
        if (request == null) {
            count(response, "unrequested");
            log.debug("response {} from {} answers no request", response.requestId(), agent.id());
            return;
        }
        request.requester().pendingRequests(-1);
        count(response, "routed");
        context.send(request.requester(), response);
    }

    private static String pendingKey(Agent responder, String requestId, String requesterEntity) {
        return responder.id() + '\u0000' + requestId + '\u0000' + requesterEntity;
    }

    private void expireRequests(long now) {
        long timeout = settings.requestTimeout().toNanos();
        while (!pendingByAge.isEmpty() && now - pendingByAge.peekFirst().createdNanos() >= timeout) {
            Pending oldest = pendingByAge.pollFirst();
            if (pending.remove(oldest.key(), oldest)) {
                oldest.requester().pendingRequests(-1);
                answer(oldest.requester(), oldest.request(), PlaceContext.error(oldest.request().name(), "timeout"));
            }
        }
        if (pendingByAge.size() > 4 * pending.size() + 64) {
            pendingByAge.removeIf(request -> pending.get(request.key()) != request);
        }
    }

    private void announce(Agent agent, Interaction interaction) {
        ArrayNode body = interaction.body();
        if (agent.announced()) {
            answer(agent, interaction, Interaction.body("announce", "error", "already announced"));
            return;
        }
        JsonNode version = body.get(2);
        if (body.size() < 7 || !"version".equals(body.path(1).asText()) || version == null || !version.isNumber()
                || !"identity".equals(body.path(3).asText()) || !body.get(4).isObject()
                || !"spawn_avatar".equals(body.path(5).asText()) || !body.get(6).isObject()) {
            answer(agent, interaction, Interaction.body("announce", "error", "invalid request"));
            return;
        }
        if (version.asInt() != agent.layout().version() || version.asDouble() != version.asInt()) {
            log.info("agent {} announced protocol {} on a protocol {} connection", agent.id(), version,
                    agent.layout().version());
            answer(agent, interaction, Interaction.body("announce", "error", PROTOCOL_OUTDATED, OUTDATED_MESSAGE));
            agent.leaving(true);
            transport.disconnectLater(agent.connection(), PROTOCOL_OUTDATED);
            return;
        }
        ObjectNode announcedSpec = (ObjectNode) body.get(6);
        ObjectNode avatarSpec = announcedSpec.deepCopy();
        avatarSpec.remove("avatar");
        SpawnResult result = context.spawn(agent, avatarSpec);
        if (result instanceof SpawnResult.Refused refusedSpawn) {
            answer(agent, interaction, Interaction.body("announce", "error", refusedSpawn.reason()));
            return;
        }
        String avatarId = ((SpawnResult.Spawned) result).rootId();
        agent.announce((ObjectNode) body.get(4).deepCopy(), avatarId);
        agent.intent(agent.intent().withEntityId(avatarId));
        log.info("agent {} announced as \"{}\" with avatar {}", agent.id(), agent.displayName(), avatarId);
        answer(agent, interaction, Interaction.body("announce", avatarId, settings.name()));
        for (PlaceExtension extension : extensions) {
            try {
                extension.agentAnnounced(context, agent, announcedSpec);
            } catch (RuntimeException e) {
                log.error("{} failed after announce of {}", extension.getClass().getSimpleName(), agent.id(), e);
            }
        }
        sendWorldNow(agent);
    }

    /**
     * A newcomer gets the world right after its announce answer rather than at the next
     * heartbeat (up to a heartbeat later). A full state must be exactly a closed revision, so the
     * changes made since the last heartbeat (the newcomer's avatar among them) are sealed as a
     * revision of their own first. That happens at most once between heartbeats, so a stream of
     * announces cannot push the other clients out of the history, and only while fewer than
     * {@code place.max_full_states_in_flight} full states are being delivered; otherwise the
     * heartbeat sends it as usual.
     */
    private void sendWorldNow(Agent agent) {
        long now = nanoClock.getAsLong();
        if (revisionClosedSinceHeartbeat || fullStatesInFlight(now) >= settings.maxFullStatesInFlight()) {
            return;
        }
        if (world.hasUncommittedChanges()) {
            world.closeRevision();
            revisionClosedSinceHeartbeat = true;
        }
        sendState(agent, world.stateFor(agent.ackRevision()), now);
    }

    private int fullStatesInFlight(long now) {
        long patience = settings.setResendInterval().toNanos();
        int inFlight = 0;
        for (Agent other : agents.values()) {
            if (receivesState(other) && world.needsFullState(other.ackRevision())
                    && fullStatePending(other, now, patience)) {
                inFlight++;
            }
        }
        return inFlight;
    }

    /** A place response: from "place" to "" like allonet, with the request id echoed. */
    private void answer(Agent agent, Interaction request, ArrayNode body) {
        context.send(agent, new Interaction(InteractionType.RESPONSE, "place", "", request.requestId(), body));
    }

    private void sendCounted(Agent to, int channel, byte[] payload, Delivery delivery) {
        channelMeters(to.layout().roleOf(channel).map(Enum::name).orElse("UNKNOWN"), "out").record(payload.length);
        transport.send(to.connection(), channel, payload, delivery);
    }

    /** Messages and bytes per channel role and direction: count and total of one summary. */
    private DistributionSummary channelMeters(String role, String direction) {
        return channelSummaries.computeIfAbsent(role + '/' + direction, key -> DistributionSummary
                .builder("alloplace.channel.messages").baseUnit("bytes")
                .description("messages per channel role and direction (count) and their bytes (sum)")
                .tag("channel", role.toLowerCase(java.util.Locale.ROOT)).tag("direction", direction).register(meters));
    }

    /** Counts one interaction by type and what became of it, for /metrics. */
    private void count(Interaction interaction, String outcome) {
        if ("routed".equals(outcome) || "handled".equals(outcome)) {
            routed++;
        } else {
            refused++;
        }
        String type = interaction.type().wire();
        interactionCounters.computeIfAbsent(type + '/' + outcome, key -> Counter.builder("alloplace.interactions")
                .description("interactions by type and outcome").tag("type", type).tag("outcome", outcome)
                .register(meters)).increment();
    }

    private void refuse(Agent agent, String reason) {
        refused++;
        interactionCounters.computeIfAbsent("input/ignored", key -> Counter.builder("alloplace.input.ignored")
                .description("messages ignored as malformed, oversized or unexpected").register(meters)).increment();
        log.debug("ignored input from {}: {}", agent.id(), reason);
    }

    boolean removeEntity(String entityId, boolean cascade) {
        if (!world.exists(entityId)) {
            return false;
        }
        for (String child : world.childrenOf(entityId)) {
            if (cascade) {
                removeEntity(child, true);
            } else if (world.exists(child)) {
                world.removeComponent(child, "relationships");
            }
        }
        world.removeEntity(entityId);
        for (PlaceExtension extension : extensions) {
            try {
                extension.entityRemoved(context, entityId);
            } catch (RuntimeException e) {
                log.error("{} failed after removal of {}", extension.getClass().getSimpleName(), entityId, e);
            }
        }
        return true;
    }

    private static ArrayNode identity() {
        ArrayNode matrix = F.arrayNode();
        for (int i = 0; i < 16; i++) {
            matrix.add(i % 5 == 0 ? 1.0 : 0.0);
        }
        return matrix;
    }

    // ------------------------------------------------------------------ context

    private final class Context implements PlaceContext {
        @Override
        public World world() {
            return world;
        }

        @Override
        public PlaceSettings settings() {
            return settings;
        }

        @Override
        public Collection<Agent> agents() {
            return Collections.unmodifiableCollection(agents.values());
        }

        @Override
        public Optional<Agent> agent(String agentId) {
            return Optional.ofNullable(agentsById.get(agentId));
        }

        @Override
        public Optional<Agent> ownerOf(String entityId) {
            return world.entity(entityId).map(EntityView::owner).map(agentsById::get).filter(Agent::announced);
        }

        @Override
        public double serverTime() {
            return Math.round((nanoClock.getAsLong() - startNanos) / 1e6) / 1000.0;
        }

        @Override
        public SpawnResult spawn(Agent owner, JsonNode spec) {
            int existing = world.ownedBy(owner.id()).size();
            List<Spawn> planned = new ArrayList<>();
            String problem = plan(spec, null, 0, planned);
            if (problem != null) {
                return new SpawnResult.Refused(problem);
            }
            if (existing + planned.size() > settings.maxEntitiesPerAgent()) {
                return new SpawnResult.Refused("an agent may own at most " + settings.maxEntitiesPerAgent() + " entities");
            }
            for (Spawn spawn : planned) {
                world.createEntity(spawn.id, owner.id(), spawn.components);
            }
            return new SpawnResult.Spawned(planned.get(0).id);
        }

        private String plan(JsonNode spec, String parentId, int depth, List<Spawn> planned) {
            if (!spec.isObject()) {
                return "an entity spec must be an object";
            }
            if (depth > settings.maxSpawnDepth()) {
                return "children nested deeper than " + settings.maxSpawnDepth();
            }
            if (planned.size() >= settings.maxEntitiesPerAgent()) {
                return "an agent may own at most " + settings.maxEntitiesPerAgent() + " entities";
            }
            JsonNode wrapped = spec.get("components");
            Map<String, JsonNode> components = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = wrapped != null && wrapped.isObject() ? wrapped.fields() : spec.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (wrapped == null && ("children".equals(key) || "avatar".equals(key))) {
                    continue;
                }
                if (field.getValue().isNull()) {
                    continue;
                }
                if ("live_media".equals(key)) {
                    return "live_media is managed by the place";
                }
                if (field.getValue().toString().length() > settings.maxComponentBytes()) {
                    return "component " + key + " is larger than " + settings.maxComponentBytes() + " bytes";
                }
                components.put(key, field.getValue().deepCopy());
            }
            if (!components.containsKey("transform")) {
                ObjectNode transform = F.objectNode();
                transform.set("matrix", identity());
                components.put("transform", transform);
            }
            if (parentId != null) {
                components.put("relationships", F.objectNode().put("parent", parentId));
            } else {
                JsonNode relationships = components.get("relationships");
                if (relationships != null && relationships.path("parent").isTextual()
                        && !world.exists(relationships.path("parent").textValue())) {
                    return "no such parent entity " + relationships.path("parent").textValue();
                }
            }
            String id = ids.nextEntityId();
            while (world.exists(id)) {
                id = ids.nextEntityId();
            }
            planned.add(new Spawn(id, components));
            JsonNode children = spec.get("children");
            if (children != null && !children.isNull()) {
                if (!children.isArray()) {
                    return "children must be a list";
                }
                for (JsonNode child : children) {
                    String problem = plan(child, id, depth + 1, planned);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }

        @Override
        public boolean removeEntity(String entityId, boolean cascade) {
            return Place.this.removeEntity(entityId, cascade);
        }

        @Override
        public void send(Agent to, Interaction interaction) {
            sendCounted(to, to.layout().commands(), interaction.encode(), Delivery.RELIABLE);
        }

        @Override
        public void sendRaw(Agent to, int channel, byte[] payload, Delivery delivery) {
            sendCounted(to, channel, payload, delivery);
        }

        @Override
        public void kick(Agent agent, int reason) {
            agent.leaving(true);
            transport.disconnectLater(agent.connection(), reason);
        }

        @Override
        public Optional<ConnectionStats> stats(Agent agent) {
            return transport.stats(agent.connection());
        }

        @Override
        public void execute(java.util.function.Consumer<PlaceContext> task) {
            try {
                loop.execute(() -> {
                    try {
                        task.accept(this);
                    } catch (RuntimeException e) {
                        log.error("place task failed", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("place stopped; task dropped");
            }
        }
    }

    private record Spawn(String id, Map<String, JsonNode> components) {
    }

    // ------------------------------------------------------------------ transport events

    private final class Events implements TransportListener {
        @Override
        public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
            submit(() -> connected(id, remote, channelCount));
        }

        @Override
        public void onReceive(ConnectionId id, int channel, byte[] payload) {
            submit(() -> received(id, channel, payload));
        }

        @Override
        public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
            submit(() -> disconnected(id, cause));
        }

        private void submit(Runnable event) {
            try {
                loop.execute(() -> {
                    try {
                        event.run();
                    } catch (RuntimeException e) {
                        log.error("place event failed", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("place stopped; event dropped");
            }
        }
    }
}
