package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A dot-separated animation path resolved against one entity's current components, e.g.
 * {@code material.color.3} or {@code transform.matrix.rotation.y}.
 *
 * <p>The first key names the component; then object keys or 0-based array indices follow. Once
 * the walk reaches a 16-number array, {@code rotation}, {@code translation} or {@code scale} may
 * follow, optionally followed by {@code x}, {@code y} or {@code z}: then the animation edits that
 * aspect of the matrix instead of replacing it.
 *
 * @param component the component holding the value
 * @param steps where the value sits inside the component: {@code String} keys and
 *     {@code Integer} indices (for matrix usages, the location of the matrix)
 * @param usage how the animated value is applied
 * @param axis 0 for none, 1, 2, 3 for {@code x}, {@code y}, {@code z}
 * @param current the value found at {@code steps}
 * @param currentKind its kind
 */
record PropertyPath(
        String component, List<Object> steps, Usage usage, int axis, JsonNode current, ValueKind currentKind) {

    /** How an animated value is written back. */
    enum Usage {
        STANDARD,
        MATRIX_ROTATION,
        MATRIX_TRANSLATION,
        MATRIX_SCALE
    }

    PropertyPath {
        steps = Collections.unmodifiableList(steps);
    }

    /**
     * Resolves {@code path} on the entity. Empty when the path is malformed, names something that
     * does not exist, or ends on a value that cannot be animated.
     */
    static Optional<PropertyPath> resolve(SimWorld world, String entityId, String path, int maxLength) {
        if (path == null || path.isEmpty() || path.length() > maxLength) {
            return Optional.empty();
        }
        String[] keys = path.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty()) {
                return Optional.empty();
            }
        }
        JsonNode node = world.component(entityId, keys[0]).orElse(null);
        if (node == null) {
            return Optional.empty();
        }
        List<Object> steps = new ArrayList<>(keys.length);
        Usage usage = Usage.STANDARD;
        int axis = 0;
        for (int i = 1; i < keys.length; i++) {
            String key = keys[i];
            if (usage != Usage.STANDARD) {
                int a = axisOf(key);
                if (axis != 0 || a == 0) {
                    return Optional.empty();
                }
                axis = a;
            } else if (ValueKind.of(node) == ValueKind.MATRIX && matrixUsage(key) != null) {
                usage = matrixUsage(key);
            } else if (node.isArray() && isIndex(key)) {
                int index = parseIndex(key);
                if (index < 0 || index >= node.size()) {
                    return Optional.empty();
                }
                node = node.get(index);
                steps.add(index);
            } else if (node.isObject() && node.has(key)) {
                node = node.get(key);
                steps.add(key);
            } else {
                return Optional.empty();
            }
        }
        ValueKind kind = ValueKind.of(node);
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(new PropertyPath(keys[0], steps, usage, axis, node, kind));
    }

    /** The kind {@code from} and {@code to} must have to animate this path. */
    ValueKind requiredKind() {
        if (usage == Usage.STANDARD) {
            return currentKind;
        }
        if (axis != 0) {
            return ValueKind.SCALAR;
        }
        return usage == Usage.MATRIX_ROTATION ? ValueKind.ROTATION : ValueKind.VEC3;
    }

    private static Usage matrixUsage(String key) {
        return switch (key) {
            case "rotation" -> Usage.MATRIX_ROTATION;
            case "translation" -> Usage.MATRIX_TRANSLATION;
            case "scale" -> Usage.MATRIX_SCALE;
            default -> null;
        };
    }

    private static int axisOf(String key) {
        return switch (key) {
            case "x" -> 1;
            case "y" -> 2;
            case "z" -> 3;
            default -> 0;
        };
    }

    private static boolean isIndex(String key) {
        if (key.length() > 9) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int parseIndex(String key) {
        return Integer.parseInt(key);
    }
}
