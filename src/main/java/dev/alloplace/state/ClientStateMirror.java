package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What a client keeps of the place: the entities as of the last state message it applied,
 * plus enough history to apply a merge patch from any of its last {@value #HISTORY} revisions,
 * as allonet's client does (acknowledgements lag, so the place often diffs from an older one).
 * History is an undo log of the entity values each patch replaced, so keeping it costs what
 * changed, not the size of the world. Anything that is not a merge replaces everything.
 */
public final class ClientStateMirror {

    public static final int HISTORY = 64;

    private final Map<String, ObjectNode> entities = new HashMap<>();
    private final ArrayDeque<Undo> undo = new ArrayDeque<>();
    private long revision;

    /** The entity values a patch replaced (null: the entity did not exist), to go back to {@code base}. */
    private record Undo(long base, Map<String, ObjectNode> previous) {
    }

    /**
     * Applies one state message; false when it was a merge from a revision this mirror lacks.
     * The mirror keeps parts of {@code document}: the caller hands it over and must not change it.
     */
    public boolean apply(JsonNode document) {
        JsonNode entitiesJson = document.get("entities");
        JsonNode revisionJson = document.get("revision");
        if (entitiesJson == null || !entitiesJson.isObject() || revisionJson == null || !revisionJson.isNumber()) {
            return false;
        }
        if ("merge".equals(document.path("patch_style").asText())) {
            long base = document.path("patch_from").asLong(-1);
            if (!rewindTo(base)) {
                return false;
            }
            Map<String, ObjectNode> previous = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entitiesJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String id = field.getKey();
                ObjectNode before = entities.get(id);
                if (!previous.containsKey(id)) {
                    previous.put(id, before);
                }
                if (field.getValue().isNull()) {
                    entities.remove(id);
                } else {
                    JsonNode merged = MergePatch.apply(before, field.getValue());
                    if (merged instanceof ObjectNode object) {
                        entities.put(id, object);
                    }
                }
            }
            undo.addLast(new Undo(base, previous));
            if (undo.size() > HISTORY) {
                undo.removeFirst();
            }
        } else {
            entities.clear();
            undo.clear();
            for (Iterator<Map.Entry<String, JsonNode>> it = entitiesJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue() instanceof ObjectNode object) {
                    entities.put(field.getKey(), object);
                }
            }
        }
        revision = revisionJson.asLong();
        return true;
    }

    /** Goes back to {@code base} if it is the current revision or one in the undo log. */
    private boolean rewindTo(long base) {
        if (base == revision) {
            return true;
        }
        boolean held = false;
        for (Undo step : undo) {
            if (step.base() == base) {
                held = true;
                break;
            }
        }
        if (!held) {
            return false;
        }
        while (revision != base) {
            Undo step = undo.removeLast();
            step.previous().forEach((id, value) -> {
                if (value == null) {
                    entities.remove(id);
                } else {
                    entities.put(id, value);
                }
            });
            revision = step.base();
        }
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
