package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The message ACL rules see, {@code ["interaction", type, from, to, request_id, body]}, built
 * for rule tests from loose parts (a null field, a body that is no array) that no parsed
 * {@code Interaction} has. The place gives rules {@code Interaction.toJson()}: the same parsed
 * fields it routes by, never the raw frame.
 */
final class InteractionView {

    private InteractionView() {
    }

    static ArrayNode of(String type, String from, String to, String requestId, JsonNode body) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(6);
        a.add("interaction");
        a.add(type == null ? "" : type);
        a.add(from == null ? "" : from);
        a.add(to == null ? "" : to);
        a.add(requestId == null ? "" : requestId);
        a.add(body == null ? NullNode.instance : body);
        return a;
    }
}
