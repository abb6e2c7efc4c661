package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** A read-only look at one entity; component values are immutable by convention. */
public interface EntityView {

    String id();

    /** The agent id that owns the entity, or {@link World#PLACE_OWNER}. */
    String owner();

    /** Unmodifiable, in insertion order. */
    Map<String, JsonNode> components();

    /** {@code relationships.parent}, if set to a string. */
    Optional<String> parent();

    default JsonNode component(String name) {
        return components().get(name);
    }
}
