package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The simulation's narrow view of the place's entity store, so the simulation can be tested and
 * reasoned about without the place. Implemented by the place over its store; only ever called on
 * the place thread.
 *
 * <p>Component values are immutable trees: the simulation never mutates a node it was given and
 * always hands a fresh value to {@link #setComponent}.
 */
public interface SimWorld {
    /** Whether the entity exists. */
    boolean exists(String entityId);

    /** The value of one component of an entity, if the entity exists and has it. */
    Optional<JsonNode> component(String entityId, String name);

    /**
     * Replaces the whole value of a component (creating it if missing). Ignored for an entity that
     * does not exist.
     */
    void setComponent(String entityId, String name, JsonNode value);

    /** Id of the agent owning the entity; empty for place-owned entities. */
    Optional<String> owner(String entityId);

    /** The entity's {@code relationships.parent}, if any. */
    Optional<String> parent(String entityId);

    /** Ids of the entities whose parent is {@code entityId}. */
    List<String> children(String entityId);

    /** Ids of all entities that have a component named {@code componentName}. */
    Collection<String> entitiesWith(String componentName);
}
