package dev.alloplace.pubsub;

/** The outcome of a subscribe: the new subscription's id, or why not. */
public sealed interface SubscribeResult permits SubscribeResult.Subscribed, SubscribeResult.Rejected {

    record Subscribed(String subscriptionId) implements SubscribeResult {
    }

    /** {@code code} is {@code invalid_pattern} or {@code too_many_subscriptions}. */
    record Rejected(String code, String message) implements SubscribeResult {
        public static final String INVALID_PATTERN = "invalid_pattern";
        public static final String TOO_MANY = "too_many_subscriptions";
    }
}
