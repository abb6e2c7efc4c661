package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Implements the {@link HostFunctions} for one match. Called on the matching thread; it must be
 * quick and must not throw. Returning {@code null} is a guard error (the guard is false).
 */
@FunctionalInterface
public interface HostEnvironment {

    /** An environment for guards that declare no host functions. */
    HostEnvironment NONE = (name, args) -> null;

    JsonNode call(String name, JsonNode[] args);
}
