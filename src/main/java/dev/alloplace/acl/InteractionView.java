package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Builds the message ACL rules see: {@code ["interaction", type, from, to, request_id, body]}.
 * The place must build it from the same parsed fields it routes by (missing or non-string
 * header fields already read as ""), never pass the raw frame: otherwise a sender could hide
 * from a rule with a shape the router reads differently (a number where a string belongs,
 * extra elements, a missing field).
 */
public final class InteractionView {

    private InteractionView() {
    }

    public static ArrayNode of(String type, String from, String to, String requestId, JsonNode body) {
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
