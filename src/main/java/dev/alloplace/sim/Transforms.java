package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.state.NumberArrayNode;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@code transform.matrix} through a {@link SimWorld} and walks the parent chain
 * for world-space transforms. Writes keep the other keys of the transform component (alloui's
 * {@code size}) and are skipped when nothing really moved.
 */
final class Transforms {
    static final String TRANSFORM = "transform";
    static final String MATRIX = "matrix";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SimWorld world;
    private final SimSettings settings;

    Transforms(SimWorld world, SimSettings settings) {
        this.world = world;
        this.settings = settings;
    }

    /** The entity's local transform; identity when missing or malformed. */
    double[] local(String entityId) {
        double[] m = world.component(entityId, TRANSFORM).map(t -> matrixOf(t.get(MATRIX))).orElse(null);
        return m != null ? m : Mat4.identity();
    }

    /** The entity's transform in world space: parent world · local, up the chain. */
    double[] world(String entityId) {
        if (entityId == null) {
            return Mat4.identity();
        }
        double[] result = local(entityId);
        Optional<String> parent = world.parent(entityId);
        for (int depth = 0; parent.isPresent() && depth < settings.maxHierarchyDepth(); depth++) {
            String p = parent.get();
            if (!world.exists(p)) {
                break;
            }
            result = Mat4.multiply(local(p), result);
            parent = world.parent(p);
        }
        return result;
    }

    /** The world transform of the entity's parent; identity for a root entity. */
    double[] parentWorld(String entityId) {
        return world.parent(entityId).filter(world::exists).map(this::world).orElseGet(Mat4::identity);
    }

    /** Sets the local transform; returns whether anything was written. */
    boolean set(String entityId, double[] m) {
        JsonNode old = world.component(entityId, TRANSFORM).orElse(null);
        double[] previous = old == null ? null : matrixOf(old.get(MATRIX));
        if (previous != null && Mat4.nearlyEqual(previous, m, settings.matrixWriteTolerance())) {
            return false;
        }
        for (double v : m) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        world.setComponent(entityId, TRANSFORM, transform(old, array(m)));
        return true;
    }

    /**
     * {@code old} with {@code matrix} in place of its matrix. A transform that is nothing but its
     * matrix (an avatar's, a hand's) is held in an immutable one-entry map: the history keeps every
     * moved transform for its revisions, and Jackson's map costs ~220 bytes more per write.
     */
    static ObjectNode transform(JsonNode old, JsonNode matrix) {
        if (old == null || old.size() == 1 && old.has(MATRIX)) {
            return new ObjectNode(NODES, Map.of(MATRIX, matrix));
        }
        ObjectNode next = NODES.objectNode();
        if (old instanceof ObjectNode oldObject) {
            next.setAll(oldObject);
        }
        next.set(MATRIX, matrix);
        return next;
    }

    /** A 16-number array as a matrix, or {@code null} when the node is anything else. */
    static double[] matrixOf(JsonNode node) {
        return numbers(node, Mat4.SIZE);
    }

    /** An array of exactly {@code count} numbers, or {@code null}. */
    static double[] numbers(JsonNode node, int count) {
        if (node == null || !node.isArray() || node.size() != count) {
            return null;
        }
        if (node instanceof NumberArrayNode numbers) {
            return numbers.numbers();
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            JsonNode e = node.get(i);
            if (!e.isNumber()) {
                return null;
            }
            out[i] = e.doubleValue();
        }
        return out;
    }

    /** The numbers as an immutable compact array node (see {@link NumberArrayNode}). */
    static ArrayNode array(double[] values) {
        return NumberArrayNode.of(values);
    }
}
