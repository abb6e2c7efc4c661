package dev.alloplace.pubsub;

import dev.alloplace.guard.CompiledGuard;

/** One agent's interest in publications whose body matches {@code pattern}. */
public record Subscription<A>(String id, A agent, CompiledGuard pattern) {
}
