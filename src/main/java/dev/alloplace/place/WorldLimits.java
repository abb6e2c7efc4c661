package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.state.World;

/**
 * Caps on what the world may weigh, in bytes of its full state (see
 * {@link World#bytes()}). The place's cap keeps a full state well under
 * the largest message a C ENet client accepts (32 MiB), so a late joiner always gets its world;
 * the per-agent cap keeps one agent from taking it all.
 *
 * @param maxWorldBytes what all entities together may weigh
 * @param maxAgentBytes what the entities one agent owns may weigh
 * @param maxParentDepth ancestors an entity's new parent may have: bounds the walk that keeps
 *     parents free of cycles (and so every walk up a tree)
 */
public record WorldLimits(long maxWorldBytes, long maxAgentBytes, int maxParentDepth) {

    public WorldLimits {
        if (maxWorldBytes < 1 || maxAgentBytes < 1 || maxParentDepth < 1) {
            throw new IllegalArgumentException("world limits must be positive");
        }
    }

    /** The {@code place.max_world_bytes}, {@code place.max_agent_bytes} and {@code place.max_parent_depth} settings. */
    public static WorldLimits from(Config config) {
        return new WorldLimits(config.get(Settings.MAX_WORLD_BYTES), config.get(Settings.MAX_AGENT_BYTES),
                config.get(Settings.MAX_PARENT_DEPTH));
    }

    /** Why {@code check} refuses a parent, or null when it does not. */
    public String parentProblem(World.ParentCheck check) {
        return switch (check) {
            case OK -> null;
            case CYCLE -> "an entity cannot be its own ancestor";
            case TOO_DEEP -> "the parent is nested too deep (at most " + maxParentDepth + " ancestors)";
        };
    }
}
