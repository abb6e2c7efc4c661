package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The verdict on one interaction, naming the rule that decided it; when no rule matched, that
 * is the default pseudo-rule (id {@value AclRule#DEFAULT_ID}, guard {@code _}).
 */
public sealed interface AclDecision permits AclDecision.Allowed, AclDecision.Denied {

    AclRule rule();

    default boolean allowed() {
        return this instanceof Allowed;
    }

    record Allowed(AclRule rule) implements AclDecision {
    }

    record Denied(AclRule rule) implements AclDecision {

        /**
         * The message the sender gets instead of a routed interaction:
         * {@code ["interaction_denied", <original interaction>, ["deny", "<guard source>"]]}.
         */
        public ArrayNode denialMessage(JsonNode originalInteraction) {
            ArrayNode msg = JsonNodeFactory.instance.arrayNode();
            msg.add("interaction_denied");
            msg.add(originalInteraction);
            msg.add(rule.toWire());
            return msg;
        }
    }
}
