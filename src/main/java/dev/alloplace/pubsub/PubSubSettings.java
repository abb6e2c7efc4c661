package dev.alloplace.pubsub;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.guard.GuardLimits;
import java.util.Objects;

/**
 * Subscription settings.
 *
 * @param maxSubscriptionsPerAgent most live subscriptions one agent may hold
 * @param guardLimits limits for compiling and evaluating each subscription pattern
 * @param maxStepsPerPublication guard steps one publication may spend on all the subscriptions
 *     it is tested against; the publisher is charged for them, and subscriptions not reached
 *     when they run out do not get it
 */
public record PubSubSettings(int maxSubscriptionsPerAgent, GuardLimits guardLimits, int maxStepsPerPublication) {

    public PubSubSettings {
        Objects.requireNonNull(guardLimits, "guardLimits");
        if (maxSubscriptionsPerAgent < 1) {
            throw new IllegalArgumentException("maxSubscriptionsPerAgent must be at least 1, was "
                    + maxSubscriptionsPerAgent);
        }
        if (maxStepsPerPublication < 1) {
            throw new IllegalArgumentException("maxStepsPerPublication must be at least 1, was " + maxStepsPerPublication);
        }
    }

    /** The subscription settings of {@code config}, with default guard limits. */
    public static PubSubSettings from(Config config) {
        return new PubSubSettings(config.get(Settings.MAX_SUBSCRIPTIONS), GuardLimits.defaults(),
                config.get(Settings.MAX_MATCH_STEPS_PER_PUBLICATION));
    }

    public static PubSubSettings defaults() {
        return from(Config.defaults());
    }
}
