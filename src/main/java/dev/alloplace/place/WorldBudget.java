package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.state.World;
import java.util.Collection;
import java.util.Map;

/**
 * What an agent may add to the world: each component within {@code place.max_component_bytes},
 * the entities one agent owns within {@code place.max_agent_bytes}, the whole world within
 * {@code place.max_world_bytes}. Checked before a spawn or change is applied, so what is refused
 * changes nothing; the refusal is the error the agent gets. Sizes are what the values take in a
 * state message ({@link World#measure}). What an agent writes is also paid from its share of the
 * place thread ({@link #written}), so the world grows no faster than the place can tell everyone.
 * The place's own writes (clock, simulation, media) are not budgeted. Used on the place thread.
 */
public final class WorldBudget {

    private final PlaceSettings settings;
    private final World world;
    private final WriteRate writeRate;

    /** What a change to an entity would do: why it may not (null if it may), and how many bytes it writes. */
    public record ChangeVerdict(String refusal, long writtenBytes) {
    }

    WorldBudget(PlaceSettings settings, World world, LoopContext place) {
        this.settings = settings;
        this.world = world;
        this.writeRate = new WriteRate(settings.fairShare().worldWriteBytesPerSecond(),
                settings.worldLimits().maxWorldBytes() / 8, place.nanoTime());
    }

    /**
     * The agent wrote {@code bytes} of component values into the world. Everything written goes
     * to every client, so writes are paced by the world's write rate ({@link WriteRate}): a burst
     * goes at once, beyond it the agent's next messages wait until its share of the rate has paid.
     */
    public void written(Agent agent, long bytes) {
        writeRate.written(agent, bytes);
    }

    /** Each heartbeat: the write rate pays debts and refills. */
    void heartbeat(long now, Collection<Agent> agents) {
        writeRate.heartbeat(now, agents);
    }

    /** Why an agent may not set this component, or null if it may. */
    public String refuseComponent(String name, JsonNode value) {
        if ("live_media".equals(name)) {
            return "live_media is managed by the place";
        }
        if (world.measure(name, value) - world.keyBytes(name) > settings.maxComponentBytes()) {
            return "component " + name + " is larger than " + settings.maxComponentBytes() + " bytes";
        }
        return null;
    }

    /** Why {@code owner}'s entities may not grow by {@code extraBytes}, or null if they may. */
    public String refuseGrowth(String owner, long extraBytes) {
        if (extraBytes <= 0) {
            return null;
        }
        WorldLimits limits = settings.worldLimits();
        if (world.bytesOwnedBy(owner) + extraBytes > limits.maxAgentBytes()) {
            return "an agent's entities may weigh at most " + limits.maxAgentBytes() + " bytes (these have "
                    + world.bytesOwnedBy(owner) + ", the change adds " + extraBytes + ")";
        }
        if (world.bytes() + extraBytes > limits.maxWorldBytes()) {
            return "the place is full: its world may weigh at most " + limits.maxWorldBytes() + " bytes";
        }
        return null;
    }

    /** Whether {@code owner} may set {@code changes} and remove {@code removals} on one of its entities. */
    public ChangeVerdict checkChange(String owner, String entityId, Map<String, JsonNode> changes,
            Collection<String> removals) {
        long growth = 0;
        long written = 0;
        for (Map.Entry<String, JsonNode> change : changes.entrySet()) {
            String problem = refuseComponent(change.getKey(), change.getValue());
            if (problem != null) {
                return new ChangeVerdict(problem, 0);
            }
            int size = world.measure(change.getKey(), change.getValue());
            written += size;
            growth += size - world.componentBytes(entityId, change.getKey());
        }
        for (String removed : removals) {
            if (!changes.containsKey(removed)) {
                growth -= world.componentBytes(entityId, removed);
            }
        }
        return new ChangeVerdict(refuseGrowth(owner, growth), written);
    }
}
