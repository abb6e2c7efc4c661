package dev.alloplace.place;

/** The root id of a spawned entity tree, or why nothing was spawned. */
public sealed interface SpawnResult {

    record Spawned(String rootId) implements SpawnResult {
    }

    record Refused(String reason) implements SpawnResult {
    }
}
