package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What ACL helper functions may ask of the place. Implemented by the place over its own state
 * and called on the place thread during {@link Acl#decide}; must be quick and must not throw.
 */
public interface AclWorld {

    /** A world with no entities and no agents (every helper call is a guard error). */
    AclWorld EMPTY = new AclWorld() {
        @Override
        public Optional<String> ownerOf(String entityId) {
            return Optional.empty();
        }

        @Override
        public Optional<JsonNode> identityOf(String agentId) {
            return Optional.empty();
        }
    };

    /** The owner of an entity: an agent id, or {@link AclFunctions#PLACE_OWNER}; empty if no such entity. */
    Optional<String> ownerOf(String entityId);

    /** The identity object an agent announced with; empty if no such agent. */
    Optional<JsonNode> identityOf(String agentId);

    /** The public key an agent proved it holds at announce; empty if none (or no such agent). */
    default Optional<String> verifiedKeyOf(String agentId) {
        return Optional.empty();
    }

    /** Whether {@code publicKey} is one of the place's owner keys ({@code acl.owner_keys}). */
    default boolean isOwnerKey(String publicKey) {
        return false;
    }
}
