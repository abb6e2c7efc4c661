package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.state.EntityView;
import dev.alloplace.state.World;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place as its parts and extensions act on it, on the place thread: the agents, the world,
 * sending through the turn's {@link Outbox}, disconnecting, charging work to an agent's share.
 */
final class LoopContext implements PlaceContext {

    private static final Logger log = LoggerFactory.getLogger(LoopContext.class);

    private final PlaceSettings settings;
    private final World world;
    private final Transport transport;
    private final Outbox outbox;
    private final EventQueue events;
    private final Extensions extensions;
    private final PlaceMetrics metrics;
    private final LongSupplier clock;
    private final long startNanos;
    private final Map<ConnectionId, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Agent> agentsById = new HashMap<>();
    private final Collection<Agent> agentView = Collections.unmodifiableCollection(agents.values());
    private final WorldBudget budget;
    private FairQueues queues;
    private SpawnPlanner planner;
    private String name;

    LoopContext(PlaceSettings settings, World world, Transport transport, Outbox outbox, EventQueue events,
            Extensions extensions, PlaceMetrics metrics, LongSupplier clock) {
        this.settings = settings;
        this.world = world;
        this.transport = transport;
        this.outbox = outbox;
        this.events = events;
        this.extensions = extensions;
        this.metrics = metrics;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.budget = new WorldBudget(settings, world, this);
        this.name = settings.name();
    }

    /** The parts that need this context to exist first. */
    void wire(FairQueues fairQueues, SpawnPlanner spawnPlanner) {
        this.queues = fairQueues;
        this.planner = spawnPlanner;
    }

    // ------------------------------------------------------------------ agents

    void add(Agent agent) {
        agents.put(agent.connection(), agent);
        agentsById.put(agent.id(), agent);
    }

    Agent agentOn(ConnectionId connection) {
        return agents.get(connection);
    }

    void remove(Agent agent) {
        agents.remove(agent.connection());
        agentsById.remove(agent.id());
    }

    long nanoTime() {
        return clock.getAsLong();
    }

    /** A place response: from "place" to "" like allonet, with the request id echoed. */
    void answer(Agent agent, Interaction request, ArrayNode body) {
        send(agent, new Interaction(InteractionType.RESPONSE, "place", "", request.requestId(), body));
    }

    /**
     * Tells the agent {@code ["disconnecting", code, why]} on its commands channel, then
     * disconnects it after what was queued for it, and forgets what it has waiting.
     */
    void disconnect(Agent agent, DisconnectReason reason, String why) {
        if (agent.leaving()) {
            return;
        }
        if (reason == DisconnectReason.ANNOUNCE_TIMEOUT) {
            log.info("disconnecting connection {} from {}: {}", agent.id(), agent.remote(), why);
        } else {
            log.warn("disconnecting agent {} ({}): {}", agent.id(), reason, why);
        }
        sendRaw(agent, agent.layout().commands(), Interaction.body("disconnecting", reason.code(), why).toString()
                .getBytes(StandardCharsets.UTF_8), Delivery.RELIABLE);
        metrics.disconnected(reason);
        agent.leaveReason(reason.code(), DisconnectReason.describe(reason.code()) + ": " + why);
        kick(agent, reason.code());
    }

    // ------------------------------------------------------------------ PlaceContext

    @Override
    public World world() {
        return world;
    }

    @Override
    public PlaceSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void rename(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("a place's name is not blank");
        }
        if (!newName.equals(name)) {
            log.info("the place is now named \"{}\" (was \"{}\")", newName, name);
            name = newName;
        }
    }

    @Override
    public Collection<Agent> agents() {
        return agentView;
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
        return Math.round((clock.getAsLong() - startNanos) / 1e6) / 1000.0;
    }

    @Override
    public SpawnResult spawn(Agent owner, JsonNode spec) {
        return planner.spawn(owner, spec);
    }

    @Override
    public WorldBudget budget() {
        return budget;
    }

    @Override
    public boolean removeEntity(String entityId, boolean cascade) {
        if (!world.exists(entityId)) {
            return false;
        }
        if (!cascade) {
            for (String child : world.childrenOf(entityId)) {
                world.removeComponent(child, "relationships");
            }
            removeOne(entityId);
            return true;
        }
        // Children before parents, without recursion: a chain as long as the world cannot overflow the stack.
        List<String> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> pending = new ArrayDeque<>();
        pending.push(entityId);
        while (!pending.isEmpty()) {
            String id = pending.pop();
            if (seen.add(id)) {
                order.add(id);
                world.childrenOf(id).forEach(pending::push);
            }
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            if (world.exists(order.get(i))) {
                removeOne(order.get(i));
            }
        }
        return true;
    }

    private void removeOne(String entityId) {
        world.removeEntity(entityId);
        extensions.each("after removal of", entityId, extension -> extension.entityRemoved(this, entityId));
    }

    @Override
    public void send(Agent to, Interaction interaction) {
        outbox.send(to, to.layout().commands(), interaction.encode(), Delivery.RELIABLE);
    }

    @Override
    public void sendRaw(Agent to, int channel, byte[] payload, Delivery delivery) {
        outbox.send(to, channel, payload, delivery);
    }

    @Override
    public void kick(Agent agent, int reason) {
        agent.leaveReason(reason, DisconnectReason.describe(reason));
        agent.leaving(true);
        queues.drop(agent);
        outbox.disconnectLater(agent.connection(), reason);
    }

    @Override
    public PlaceStats placeStats() {
        return metrics.stats();
    }

    @Override
    public TransportStats networkStats() {
        return transport.stats();
    }

    @Override
    public Optional<ConnectionStats> stats(Agent agent) {
        return transport.stats(agent.connection());
    }

    @Override
    public void charge(Agent agent, long workUnits) {
        queues.charge(agent, workUnits);
        metrics.worked(workUnits);
    }

    @Override
    public void execute(Consumer<PlaceContext> task) {
        if (!events.offer(new LoopEvent.Task(() -> task.accept(this), null))) {
            log.debug("place stopped; task dropped");
        }
    }
}
