package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Equality and Erlang's total term order over JSON values. Every pair of values is ordered:
 * number &lt; atom ({@code false} &lt; {@code nil} &lt; {@code true}) &lt; map &lt; list &lt; binary;
 * numbers by exact value (an integer and a float compare as the numbers they are), maps by size,
 * then by their sorted keys, then by the values in key order; lists element by element; binaries
 * byte by byte. {@code ===} (and pattern matching) also tells integers from floats; {@code ==} is
 * "neither is less". Every descent spends evaluation steps, so huge values cannot stall a match;
 * values nested deeper than the limit end the match as over its limits.
 */
final class JsonValues {

    static final int EQUAL = 1;
    static final int DIFFERENT = 0;
    static final int ERROR = -1;
    /** Returned by {@link #compare} when the budget or the value depth ran out. */
    static final int UNORDERED = Integer.MIN_VALUE;

    private JsonValues() {
    }

    /** Strict equality ({@code ===}, patterns): EQUAL, DIFFERENT or ERROR (a limit was hit). */
    static int equal(JsonNode a, JsonNode b, Evaluation e, int depth) {
        return equal(a, b, true, e, depth);
    }

    /**
     * {@code ===} when strict, else {@code ==} (numbers by value): the same answer as "compare is
     * 0", without ordering map keys.
     */
    static int equal(JsonNode a, JsonNode b, boolean strict, Evaluation e, int depth) {
        if (!e.spend(1) || !e.within(depth)) {
            return ERROR;
        }
        if (a.isTextual() && b.isTextual()) {
            if (!e.spend((int) Math.min(Integer.MAX_VALUE, Binaries.weight(a) >> 6))) {
                return ERROR;
            }
            return a.textValue().equals(b.textValue()) ? EQUAL : DIFFERENT;
        }
        if (a.isNumber() && b.isNumber()) {
            if (strict && a.isIntegralNumber() != b.isIntegralNumber()) {
                return DIFFERENT;
            }
            int c = compareNumbers(a, b, e);
            return c == UNORDERED ? ERROR : (c == 0 ? EQUAL : DIFFERENT);
        }
        int ra = rank(a);
        if (ra != rank(b)) {
            return DIFFERENT;
        }
        switch (ra) {
            case ATOM:
                return atomOrder(a) == atomOrder(b) ? EQUAL : DIFFERENT;
            case BINARY:
                if (!e.spend((int) Math.min(Integer.MAX_VALUE, Binaries.weight(a) >> 6))) {
                    return ERROR;
                }
                return Binaries.equal(a, b) ? EQUAL : DIFFERENT;
            case LIST:
                if (a.size() != b.size()) {
                    return DIFFERENT;
                }
                for (int i = 0; i < a.size(); i++) {
                    int r = equal(a.get(i), b.get(i), strict, e, depth + 1);
                    if (r != EQUAL) {
                        return r;
                    }
                }
                return EQUAL;
            case MAP:
                if (a.size() != b.size()) {
                    return DIFFERENT;
                }
                Iterator<Map.Entry<String, JsonNode>> it = a.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    JsonNode other = b.get(entry.getKey());
                    if (other == null) {
                        return DIFFERENT;
                    }
                    int r = equal(entry.getValue(), other, strict, e, depth + 1);
                    if (r != EQUAL) {
                        return r;
                    }
                }
                return EQUAL;
            default:
                return ERROR;
        }
    }

    /** Negative, zero or positive in Erlang's term order; {@link #UNORDERED} when a limit was hit. */
    static int compare(JsonNode a, JsonNode b, Evaluation e, int depth) {
        if (!e.spend(1) || !e.within(depth)) {
            return UNORDERED;
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return ra < 0 || rb < 0 ? UNORDERED : Integer.compare(ra, rb);
        }
        switch (ra) {
            case NUMBER:
                return compareNumbers(a, b, e);
            case ATOM:
                return Integer.compare(atomOrder(a), atomOrder(b));
            case BINARY:
                if (!e.spend((int) Math.min(Integer.MAX_VALUE, Math.min(Binaries.weight(a), Binaries.weight(b)) >> 6))) {
                    return UNORDERED;
                }
                return Binaries.compare(a, b);
            case LIST:
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    int c = compare(a.get(i), b.get(i), e, depth + 1);
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(a.size(), b.size());
            case MAP:
                return compareMaps(a, b, e, depth);
            default:
                return UNORDERED;
        }
    }

    /** By size, then the keys in ascending order, then the values in key order. */
    private static int compareMaps(JsonNode a, JsonNode b, Evaluation e, int depth) {
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        if (!e.spend(a.size())) {
            return UNORDERED;
        }
        List<String> ka = sortedKeys(a);
        List<String> kb = sortedKeys(b);
        for (int i = 0; i < ka.size(); i++) {
            int c = Binaries.compareCodePoints(ka.get(i), kb.get(i));
            if (c != 0) {
                return c;
            }
        }
        for (String k : ka) {
            int c = compare(a.get(k), b.get(k), e, depth + 1);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<String> sortedKeys(JsonNode map) {
        List<String> keys = new ArrayList<>(map.size());
        map.fieldNames().forEachRemaining(keys::add);
        keys.sort(Binaries::compareCodePoints);
        return keys;
    }

    static final int NUMBER = 0;
    static final int ATOM = 1;
    static final int MAP = 2;
    static final int LIST = 3;
    static final int BINARY = 4;

    /** The value's place in Erlang's order of types; -1 for nodes no JSON value decodes to. */
    static int rank(JsonNode v) {
        return switch (v.getNodeType()) {
            case NUMBER -> NUMBER;
            case BOOLEAN, NULL -> ATOM;
            case OBJECT -> MAP;
            case ARRAY -> LIST;
            case STRING, BINARY -> BINARY;
            default -> -1;
        };
    }

    /** Atoms compare by name: false &lt; nil &lt; true. */
    private static int atomOrder(JsonNode v) {
        return v.isNull() ? 1 : (v.booleanValue() ? 2 : 0);
    }

    /** Exact comparison; infinite doubles (which no Elixir term is) are {@link #UNORDERED}. */
    static int compareNumbers(JsonNode a, JsonNode b, Evaluation e) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            if (a.canConvertToLong() && b.canConvertToLong()) {
                return Long.compare(a.longValue(), b.longValue());
            }
            if (!e.spend(Numbers.cost(a, b, false))) {
                return UNORDERED;
            }
            return Integer.signum(a.bigIntegerValue().compareTo(b.bigIntegerValue()));
        }
        if (!a.isIntegralNumber() && !b.isIntegralNumber() && !a.isBigDecimal() && !b.isBigDecimal()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                return UNORDERED;
            }
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null || !e.spend(Numbers.cost(a, b, false))) {
            return UNORDERED;
        }
        return Integer.signum(x.compareTo(y));
    }

    private static BigDecimal decimal(JsonNode n) {
        if (n.isIntegralNumber()) {
            return new BigDecimal(n.bigIntegerValue());
        }
        if (n.isBigDecimal()) {
            return n.decimalValue();
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
}
