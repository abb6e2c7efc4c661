package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What a client keeps of the place: the entities as of the last state message it could apply,
 * following allonet's rules (a merge applies only onto exactly its {@code patch_from}; anything
 * that is not a merge replaces everything).
 */
public final class ClientStateMirror {

    private final Map<String, ObjectNode> entities = new HashMap<>();
    private long revision;

    /** Applies one state message; false when it was a merge from a revision this mirror lacks. */
    public boolean apply(JsonNode document) {
        JsonNode entitiesJson = document.get("entities");
        JsonNode revisionJson = document.get("revision");
        if (entitiesJson == null || !entitiesJson.isObject() || revisionJson == null || !revisionJson.isNumber()) {
            return false;
        }
        if ("merge".equals(document.path("patch_style").asText())) {
            if (document.path("patch_from").asLong(-1) != revision) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = entitiesJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    entities.remove(field.getKey());
                } else {
                    JsonNode merged = MergePatch.apply(entities.get(field.getKey()), field.getValue());
                    if (merged instanceof ObjectNode object) {
                        entities.put(field.getKey(), object);
                    }
                }
            }
        } else {
            entities.clear();
            for (Iterator<Map.Entry<String, JsonNode>> it = entitiesJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue() instanceof ObjectNode object) {
                    entities.put(field.getKey(), object.deepCopy());
                }
            }
        }
        revision = revisionJson.asLong();
        return true;
    }

    public long revision() {
        return revision;
    }

    /** Entities by id, each {@code {"id":..,"components":{..}}}; a live, read-only view. */
    public Map<String, ObjectNode> entities() {
        return Collections.unmodifiableMap(entities);
    }
}
