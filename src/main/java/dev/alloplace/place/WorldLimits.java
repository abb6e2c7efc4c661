package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;

/**
 * Caps on what the world may weigh, in bytes of its full state (see
 * {@link dev.alloplace.state.World#bytes()}). The place's cap keeps a full state well under
 * the largest message a C ENet client accepts (32 MiB), so a late joiner always gets its world;
 * the per-agent cap keeps one agent from taking it all.
 *
 * @param maxWorldBytes what all entities together may weigh
 * @param maxAgentBytes what the entities one agent owns may weigh
 */
public record WorldLimits(long maxWorldBytes, long maxAgentBytes) {

    public WorldLimits {
        if (maxWorldBytes < 1 || maxAgentBytes < 1) {
            throw new IllegalArgumentException("world limits must be positive");
        }
    }

    /** The {@code place.max_world_bytes} and {@code place.max_agent_bytes} settings. */
    public static WorldLimits from(Config config) {
        return new WorldLimits(config.get(Settings.MAX_WORLD_BYTES), config.get(Settings.MAX_AGENT_BYTES));
    }
}
