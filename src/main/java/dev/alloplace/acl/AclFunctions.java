package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.alloplace.guard.HostEnvironment;
import dev.alloplace.guard.HostFunctions;
import java.util.Map;
import java.util.Optional;

/**
 * Helpers that make ownership-style rules writable, e.g.
 * {@code ["interaction", _, From, _, _, ["change_components", E | _]] where agent_of(From) != agent_of(E)}.
 * Every helper takes an entity id; an unknown entity or a non-string argument is a guard error.
 * <ul>
 *   <li>{@code owner_of(E)}: the owner of E, an agent id or {@code "place"}</li>
 *   <li>{@code agent_of(E)}: the agent id owning E, {@code nil} for place-owned entities</li>
 *   <li>{@code is_place_owned(E)}: whether E belongs to the place itself</li>
 *   <li>{@code identity_of(E)}: the identity object the agent owning E announced with</li>
 *   <li>{@code verified_key_of(E)}: the public key the agent owning E proved at announce, {@code nil}
 *       when it proved none or the place owns E</li>
 *   <li>{@code is_owner(E)}: whether the agent owning E proved one of the place's owner keys</li>
 * </ul>
 */
public final class AclFunctions {

    /** The owner recorded for entities that belong to the place (as C4 writes it). */
    public static final String PLACE_OWNER = "place";

    /** The helper names and arities, for compiling rules. */
    public static final HostFunctions DECLARED = new HostFunctions(Map.of(
            "owner_of", 1, "agent_of", 1, "is_place_owned", 1, "identity_of", 1, "verified_key_of", 1, "is_owner", 1));

    private AclFunctions() {
    }

    /** The helpers answered from the given world. */
    public static HostEnvironment environment(AclWorld world) {
        return (name, args) -> {
            if (args.length != 1 || !args[0].isTextual()) {
                return null;
            }
            Optional<String> owner = world.ownerOf(args[0].textValue());
            if (owner.isEmpty()) {
                return null;
            }
            String o = owner.get();
            boolean placeOwned = PLACE_OWNER.equals(o);
            return switch (name) {
                case "owner_of" -> TextNode.valueOf(o);
                case "agent_of" -> placeOwned ? NullNode.instance : TextNode.valueOf(o);
                case "is_place_owned" -> BooleanNode.valueOf(placeOwned);
                case "identity_of" -> placeOwned ? null : world.identityOf(o).map(JsonNode.class::cast).orElse(null);
                case "verified_key_of" -> placeOwned ? NullNode.instance
                        : world.verifiedKeyOf(o).<JsonNode>map(TextNode::valueOf).orElse(NullNode.instance);
                case "is_owner" -> BooleanNode.valueOf(!placeOwned && world.verifiedKeyOf(o).map(world::isOwnerKey).orElse(false));
                default -> null;
            };
        };
    }
}
