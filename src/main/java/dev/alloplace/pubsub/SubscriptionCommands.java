package dev.alloplace.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The {@code subscribe} / {@code unsubscribe} interactions to {@code place} (names and bodies as
 * PROTOCOL.md §8 records them; see docs/protocol-extensions.md), as pure functions from request
 * body to response body for one agent.
 */
public final class SubscriptionCommands<A> {

    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SubscriptionRegistry<A> registry;

    public SubscriptionCommands(SubscriptionRegistry<A> registry) {
        this.registry = registry;
    }

    /** Whether this body names subscribe or unsubscribe. */
    public static boolean handles(JsonNode body) {
        if (body == null || !body.isArray() || body.isEmpty() || !body.get(0).isTextual()) {
            return false;
        }
        String name = body.get(0).textValue();
        return SUBSCRIBE.equals(name) || UNSUBSCRIBE.equals(name);
    }

    /** The response body for the agent's request body. */
    public JsonNode handle(A agent, JsonNode body) {
        if (!handles(body)) {
            return error("", "invalid_request", "not a subscription interaction");
        }
        String name = body.get(0).textValue();
        if (body.size() != 2 || !body.get(1).isTextual()) {
            return error(name, "invalid_request", "expected [\"" + name + "\", \"<"
                    + (SUBSCRIBE.equals(name) ? "pattern" : "subscription id") + ">\"]");
        }
        String argument = body.get(1).textValue();
        if (SUBSCRIBE.equals(name)) {
            SubscribeResult r = registry.subscribe(agent, argument);
            if (r instanceof SubscribeResult.Subscribed s) {
                return NODES.arrayNode().add(SUBSCRIBE).add(s.subscriptionId());
            }
            SubscribeResult.Rejected rejected = (SubscribeResult.Rejected) r;
            return error(SUBSCRIBE, rejected.code(), rejected.message());
        }
        return NODES.arrayNode().add(UNSUBSCRIBE).add(registry.unsubscribe(agent, argument) ? "ok" : "not_subscribed");
    }

    private static ArrayNode error(String name, String code, String message) {
        return NODES.arrayNode().add(name).add("error").add(code).add(message);
    }
}
