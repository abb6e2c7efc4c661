package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.state.World;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What place handlers, simulation steps and media/asset handlers may do, all on the place
 * thread. Handlers never touch the network directly: they answer, send through here, or edit
 * the world, and the next heartbeat tells everyone.
 */
public interface PlaceContext {

    World world();

    PlaceSettings settings();

    /** The place's name as announce answers and the admin API give it: the configured one until renamed. */
    String name();

    /**
     * Names the place {@code newName} from now on: agents that announce later are told it (a fleet
     * that allocates a place for a meeting names it so). Those already in keep what they heard.
     */
    void rename(String newName);

    Collection<Agent> agents();

    Optional<Agent> agent(String agentId);

    /** The connected, announced agent owning {@code entityId}, if any. */
    Optional<Agent> ownerOf(String entityId);

    /** The place clock in seconds: what {@code place.clock.time} and {@code server_time} say. */
    double serverTime();

    /** Creates an entity tree from a spawn spec owned by {@code owner}; a root id or an error. */
    SpawnResult spawn(Agent owner, JsonNode spec);

    /** The byte budgets an agent's spawns and changes are checked against (spawn checks them itself). */
    WorldBudget budget();

    /** Removes an entity; cascade removes descendants, otherwise they become roots. */
    boolean removeEntity(String entityId, boolean cascade);

    /** Sends an interaction to an agent on its commands channel. */
    void send(Agent to, Interaction interaction);

    /** Sends raw bytes on one channel of an agent. */
    void sendRaw(Agent to, int channel, byte[] payload, Delivery delivery);

    /** Disconnects an agent after what was queued for it, with {@code reason} as ENet data. */
    void kick(Agent agent, int reason);

    Optional<ConnectionStats> stats(Agent agent);

    /** The figures published after the last heartbeat (see {@link Place#stats()}). */
    PlaceStats placeStats();

    /** The transport's counters since start (every connection together). */
    dev.alloplace.transport.TransportStats networkStats();

    /**
     * Charges {@code workUnits} (see {@link FairShare}) to the agent's share of the place thread:
     * work done for it beyond the cost of its messages, such as matching its publication against
     * every subscription. The agent's next messages wait until its budget has paid for it.
     */
    void charge(Agent agent, long workUnits);

    /** Runs {@code task} on the place thread later (for answers that arrive from elsewhere). */
    void execute(Consumer<PlaceContext> task);

    /** A response body for a place request: {@code [name, "error", reason]}. */
    static ArrayNode error(String name, String reason) {
        return Interaction.body(name, "error", reason);
    }
}
