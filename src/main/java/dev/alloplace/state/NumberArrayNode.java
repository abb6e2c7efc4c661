package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An immutable JSON array of numbers held as one {@code double[]}. The simulation writes a new
 * transform matrix for every moving entity at every heartbeat and the history keeps each for
 * seconds; as Jackson nodes a matrix is ~540 bytes in 19 objects, here ~190 bytes in 3, which is
 * what the old generation fills with. It reads, compares and serializes like any array node (its
 * elements are {@link DoubleNode}s); the state encoder and the diff read the numbers directly.
 * Mutators throw.
 */
public final class NumberArrayNode extends ArrayNode {

    private final double[] values;

    private NumberArrayNode(double[] values) {
        super(JsonNodeFactory.instance, new Elements(values));
        this.values = values;
    }

    /** A node holding a copy of {@code values}. */
    public static NumberArrayNode of(double[] values) {
        return new NumberArrayNode(values.clone());
    }

    /** The number at {@code index}. */
    public double number(int index) {
        return values[index];
    }

    /** A copy of the numbers. */
    public double[] numbers() {
        return values.clone();
    }

    private static final class Elements extends AbstractList<JsonNode> implements RandomAccess {
        private final double[] values;

        Elements(double[] values) {
            this.values = values;
        }

        @Override
        public JsonNode get(int index) {
            return DoubleNode.valueOf(values[index]);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof Elements other) {
                return Arrays.equals(values, other.values);
            }
            return super.equals(o);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
