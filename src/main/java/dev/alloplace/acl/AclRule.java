package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.guard.CompiledGuard;

/**
 * One ACL entry: an id (stable across restarts, used to remove it), the effect, and the guard
 * over the whole interaction message.
 */
public record AclRule(String id, AclEffect effect, CompiledGuard guard) {

    /** Id of the pseudo-rule that stands for the default policy in decisions and denials. */
    public static final String DEFAULT_ID = "default";

    public String source() {
        return guard.source();
    }

    /** The rule as the protocol writes it: {@code ["deny", "<guard source>"]}. */
    public JsonNode toWire() {
        return JsonNodeFactory.instance.arrayNode().add(effect.wireName()).add(source());
    }

    /** {@code {"id": ..., "effect": ..., "guard": ...}}, as listed and persisted. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("effect", effect.wireName());
        o.put("guard", source());
        return o;
    }
}
