package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an animated value is, told by its JSON shape: a number, or an array of 3, 4 or 16 numbers.
 * Anything else cannot be animated.
 */
enum ValueKind {
    SCALAR(1),
    VEC3(3),
    ROTATION(4),
    MATRIX(16);

    final int size;

    ValueKind(int size) {
        this.size = size;
    }

    /** The kind of {@code node}, or {@code null} when it is not animatable. */
    static ValueKind of(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return SCALAR;
        }
        if (!node.isArray()) {
            return null;
        }
        ValueKind kind = switch (node.size()) {
            case 3 -> VEC3;
            case 4 -> ROTATION;
            case 16 -> MATRIX;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        for (JsonNode e : node) {
            if (!e.isNumber()) {
                return null;
            }
        }
        return kind;
    }

    /** The numbers of a node already known to be of this kind. */
    double[] values(JsonNode node) {
        if (this == SCALAR) {
            return new double[] {node.doubleValue()};
        }
        return Transforms.numbers(node, size);
    }
}
