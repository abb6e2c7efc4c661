package dev.alloplace.pubsub;

import dev.alloplace.guard.GuardLimits;
import java.util.Objects;

/**
 * Subscription settings.
 *
 * @param maxSubscriptionsPerAgent most live subscriptions one agent may hold
 * @param guardLimits limits for compiling and evaluating each subscription pattern
 */
public record PubSubSettings(int maxSubscriptionsPerAgent, GuardLimits guardLimits) {

    public PubSubSettings {
        Objects.requireNonNull(guardLimits, "guardLimits");
        if (maxSubscriptionsPerAgent < 1) {
            throw new IllegalArgumentException("maxSubscriptionsPerAgent must be at least 1, was "
                    + maxSubscriptionsPerAgent);
        }
    }

    /** 32 subscriptions per agent, default guard limits. */
    public static PubSubSettings defaults() {
        return new PubSubSettings(32, GuardLimits.defaults());
    }
}
