package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/**
 * The ACL management interactions to {@code place} ({@code acl_list}, {@code acl_add},
 * {@code acl_remove}; bodies in docs/protocol-extensions.md), as pure functions from request body
 * to response body. The place checks the interaction against the ACL itself before calling
 * here, and persists the rules when {@link Outcome#changed()} says so.
 */
public final class AclCommands {

    public static final String LIST = "acl_list";
    public static final String ADD = "acl_add";
    public static final String REMOVE = "acl_remove";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Acl acl;

    public AclCommands(Acl acl) {
        this.acl = acl;
    }

    /** The response body, and whether the rule list changed. */
    public record Outcome(JsonNode response, boolean changed) {
    }

    /** Whether this body names one of the ACL interactions. */
    public static boolean handles(JsonNode body) {
        String name = nameOf(body);
        return LIST.equals(name) || ADD.equals(name) || REMOVE.equals(name);
    }

    private static String nameOf(JsonNode body) {
        return body != null && body.isArray() && !body.isEmpty() && body.get(0).isTextual()
                ? body.get(0).textValue() : null;
    }

    public Outcome handle(JsonNode body) {
        String name = nameOf(body);
        if (LIST.equals(name)) {
            return list(body);
        }
        if (ADD.equals(name)) {
            return add(body);
        }
        if (REMOVE.equals(name)) {
            return remove(body);
        }
        return error(name == null ? "" : name, new AclError(AclError.INVALID_REQUEST, "not an ACL interaction"));
    }

    private Outcome list(JsonNode body) {
        if (body.size() != 1) {
            return error(LIST, new AclError(AclError.INVALID_REQUEST, "acl_list takes no arguments"));
        }
        ArrayNode rules = NODES.arrayNode();
        acl.rules().forEach(r -> rules.add(r.toJson()));
        ArrayNode out = NODES.arrayNode().add(LIST).add("ok");
        out.add(rules);
        out.add(acl.settings().defaultPolicy().wireName());
        return new Outcome(out, false);
    }

    private Outcome add(JsonNode body) {
        if (body.size() < 3 || body.size() > 4 || !body.get(1).isTextual() || !body.get(2).isTextual()) {
            return error(ADD, new AclError(AclError.INVALID_REQUEST,
                    "expected [\"acl_add\", \"allow\"|\"deny\", \"<guard source>\", position?]"));
        }
        Optional<AclEffect> effect = AclEffect.parse(body.get(1).textValue());
        if (effect.isEmpty()) {
            return error(ADD, new AclError(AclError.INVALID_EFFECT,
                    "effect must be \"allow\" or \"deny\", was \"" + body.get(1).textValue() + "\""));
        }
        int position = acl.rules().size();
        if (body.size() == 4) {
            JsonNode p = body.get(3);
            if (!p.isIntegralNumber() || !p.canConvertToInt()) {
                return error(ADD, new AclError(AclError.INVALID_POSITION, "position must be an integer"));
            }
            position = p.intValue();
        }
        AclChange change = acl.add(position, effect.get(), body.get(2).textValue());
        if (change instanceof AclChange.Added added) {
            return new Outcome(NODES.arrayNode().add(ADD).add("ok").add(added.rule().id()).add(added.position()), true);
        }
        return error(ADD, ((AclChange.Rejected) change).error());
    }

    private Outcome remove(JsonNode body) {
        if (body.size() != 2 || !body.get(1).isTextual()) {
            return error(REMOVE, new AclError(AclError.INVALID_REQUEST, "expected [\"acl_remove\", \"<rule id>\"]"));
        }
        String id = body.get(1).textValue();
        if (!acl.remove(id)) {
            return error(REMOVE, new AclError(AclError.NOT_FOUND, "no rule with id \"" + id + "\""));
        }
        return new Outcome(NODES.arrayNode().add(REMOVE).add("ok"), true);
    }

    private static Outcome error(String name, AclError e) {
        return new Outcome(NODES.arrayNode().add(name).add("error").add(e.code()).add(e.message()), false);
    }
}
