package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates one property animation on one entity at one instant and writes the result into the
 * entity's component (a new tree, copied only along the animated path).
 */
final class PropertyAnimator {

    /** What happened to an animation this tick. */
    enum Outcome {
        NOT_STARTED,
        APPLIED,
        FINISHED,
        INVALID
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SimSettings settings;

    PropertyAnimator(SimSettings settings) {
        this.settings = settings;
    }

    Outcome apply(SimWorld world, String entityId, AnimationSpec spec, double serverTime) {
        AnimationTiming timing = AnimationTiming.at(spec, serverTime);
        if (timing.state() == AnimationTiming.State.INVALID) {
            return Outcome.INVALID;
        }
        if (timing.state() == AnimationTiming.State.NOT_STARTED) {
            return Outcome.NOT_STARTED;
        }
        Optional<PropertyPath> resolved =
                PropertyPath.resolve(world, entityId, spec.path(), settings.maxAnimationPathLength());
        if (resolved.isEmpty() || resolved.get().requiredKind() != spec.kind()) {
            return Outcome.INVALID;
        }
        PropertyPath path = resolved.get();
        double eased = spec.easing().apply(timing.progress());
        JsonNode first = timing.reversed() ? spec.to() : spec.from();
        JsonNode last = timing.reversed() ? spec.from() : spec.to();
        double[] value = interpolate(spec.kind(), spec.kind().values(first), spec.kind().values(last), eased);
        double[] before = path.currentKind().values(path.current());
        double[] after = applyTo(path, before, value);
        if (!Arrays.equals(before, after)) {
            JsonNode leaf = path.currentKind() == ValueKind.SCALAR ? DoubleNode.valueOf(after[0]) : Transforms.array(after);
            JsonNode root = world.component(entityId, path.component()).orElseThrow();
            world.setComponent(entityId, path.component(), replaced(root, path.steps(), 0, leaf));
        }
        return timing.state() == AnimationTiming.State.FINISHED ? Outcome.FINISHED : Outcome.APPLIED;
    }

    /**
     * Interpolates between two values of a kind: numbers, vectors and matrices element-wise as
     * {@code from·(1−f) + to·f}; rotations by quaternion slerp.
     */
    static double[] interpolate(ValueKind kind, double[] from, double[] to, double f) {
        if (kind == ValueKind.ROTATION) {
            AxisAngle a = new AxisAngle(from[0], from[1], from[2], from[3]);
            AxisAngle b = new AxisAngle(to[0], to[1], to[2], to[3]);
            double[] q = Quat.slerp(Quat.fromAxisAngle(a), Quat.fromAxisAngle(b), f);
            AxisAngle fallback = (f < 0.5 ? a : b).normalized();
            AxisAngle r = Quat.toAxisAngle(q, fallback.x(), fallback.y(), fallback.z());
            return new double[] {r.angle(), r.x(), r.y(), r.z()};
        }
        double[] out = new double[from.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = from[i] * (1 - f) + to[i] * f;
        }
        return out;
    }

    /** The new value at the path given the interpolated {@code value}. */
    static double[] applyTo(PropertyPath path, double[] current, double[] value) {
        if (path.usage() == PropertyPath.Usage.STANDARD) {
            return value;
        }
        double[] m = current.clone();
        int axis = path.axis();
        switch (path.usage()) {
            case MATRIX_ROTATION -> {
                double[] r = axis != 0
                        ? Mat4.rotation(value[0], axis == 1 ? 1 : 0, axis == 2 ? 1 : 0, axis == 3 ? 1 : 0)
                        : new AxisAngle(value[0], value[1], value[2], value[3]).toMatrix();
                r[12] = m[12];
                r[13] = m[13];
                r[14] = m[14];
                m = r;
            }
            case MATRIX_TRANSLATION -> {
                if (axis != 0) {
                    m[11 + axis] = value[0];
                } else {
                    m[12] = value[0];
                    m[13] = value[1];
                    m[14] = value[2];
                }
            }
            case MATRIX_SCALE -> {
                if (axis != 0) {
                    m[(axis - 1) * 5] = value[0];
                } else {
                    m[0] = value[0];
                    m[5] = value[1];
                    m[10] = value[2];
                }
            }
            default -> throw new IllegalStateException("unhandled usage " + path.usage());
        }
        return m;
    }

    /** A copy of {@code node} with the value at {@code steps[i..]} replaced; siblings are shared. */
    static JsonNode replaced(JsonNode node, List<Object> steps, int i, JsonNode value) {
        if (i == steps.size()) {
            return value;
        }
        Object step = steps.get(i);
        if (step instanceof Integer index) {
            ArrayNode copy = NODES.arrayNode(node.size());
            copy.addAll((ArrayNode) node);
            copy.set(index, replaced(node.get(index), steps, i + 1, value));
            return copy;
        }
        String key = (String) step;
        ObjectNode copy = NODES.objectNode();
        copy.setAll((ObjectNode) node);
        copy.set(key, replaced(node.get(key), steps, i + 1, value));
        return copy;
    }
}
