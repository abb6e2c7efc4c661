package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** RFC 7386 JSON Merge Patch: applying one, and generating the patch between two values. */
public final class MergePatch {

    private MergePatch() {
    }

    /** The result of applying {@code patch} to {@code target} (null = absent); inputs are not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? null : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    /**
     * The patch that turns {@code before} into {@code after} (either may be null = absent): objects
     * recurse, anything else is replaced whole when unequal. Returns null when nothing changed,
     * a JSON null node when {@code after} is absent, and {@code after} itself (the same instance)
     * when the patch would equal it.
     */
    public static JsonNode diff(JsonNode before, JsonNode after) {
        if (before == after) {
            return null;
        }
        if (after == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (before == null || !before.isObject() || !after.isObject()) {
            return same(before, after) ? null : after;
        }
        // The patch object is built only once a field turns out not to be replaced whole: in the
        // common case (a moved transform) every field is, and the answer is {@code after} itself,
        // which lets callers reuse what they already encoded for it.
        ObjectNode patch = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!after.has(field.getKey())) {
                if (patch == null) {
                    patch = JsonNodeFactory.instance.objectNode();
                }
                patch.putNull(field.getKey());
            }
        }
        int replacedWhole = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode sub = diff(before.get(field.getKey()), field.getValue());
            if (patch == null) {
                if (sub == field.getValue()) {
                    replacedWhole++;
                    continue;
                }
                patch = wholeFields(after, replacedWhole);
            }
            if (sub != null) {
                patch.set(field.getKey(), sub);
            }
        }
        if (patch == null) {
            return replacedWhole == 0 ? null : after;
        }
        return patch.isEmpty() ? null : patch;
    }

    /**
     * Whether an edit from {@code before} to {@code after} kept the value's shape: the component
     * stays (after is present), objects stay objects whose keys, at every depth, all remain, and
     * anything else stays a non-object. The relation is transitive, so when every edit since a
     * base kept the shape and the patch from a later base was {@code after} whole, {@code after}
     * whole is also a correct patch from the earlier base (it may carry a field that ended where it
     * began; it never leaves a stale one).
     */
    static boolean keepsShape(JsonNode before, JsonNode after) {
        if (after == null) {
            return false;
        }
        if (before == null) {
            return true;
        }
        if (!before.isObject() || !after.isObject()) {
            return !before.isObject() && !after.isObject();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode kept = after.get(field.getKey());
            if (kept == null || !keepsShape(field.getValue(), kept)) {
                return false;
            }
        }
        return true;
    }

    /**
     * JSON equality, with arrays compared from their last element: a moved transform's matrix
     * differs in its translation, the last four numbers, so most unequal matrices are told apart
     * at once instead of after a dozen equal rotation entries.
     */
    private static boolean same(JsonNode before, JsonNode after) {
        if (before instanceof NumberArrayNode && after instanceof NumberArrayNode) {
            return after.equals(before);
        }
        if (before instanceof ArrayNode left && after instanceof ArrayNode right) {
            int size = left.size();
            if (size != right.size()) {
                return false;
            }
            for (int i = size - 1; i >= 0; i--) {
                if (!left.get(i).equals(right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return after.equals(before);
    }

    /** A patch holding the first {@code count} fields of {@code after} as they are. */
    private static ObjectNode wholeFields(JsonNode after, int count) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = after.fields();
        for (int i = 0; i < count; i++) {
            Map.Entry<String, JsonNode> field = it.next();
            patch.set(field.getKey(), field.getValue());
        }
        return patch;
    }
}
