package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Equality and ordering of JSON values with Elixir's meaning: {@code ===} (and pattern matching)
 * tells integers from floats, {@code ==} compares numbers by value, objects compare without
 * regard to key order. Every descent spends evaluation steps, so huge values cannot stall a match.
 */
final class JsonValues {

    static final int EQUAL = 1;
    static final int DIFFERENT = 0;
    static final int ERROR = -1;
    /** Returned by {@link #compare} when the values have no order. */
    static final int UNORDERED = Integer.MIN_VALUE;

    private JsonValues() {
    }

    /** EQUAL, DIFFERENT or ERROR (steps exhausted or too deep). */
    static int equal(JsonNode a, JsonNode b, boolean strict, Evaluation e, int depth) {
        if (!e.spend(1) || depth > e.maxValueDepth) {
            return ERROR;
        }
        if (a.isNumber() && b.isNumber()) {
            if (strict && a.isIntegralNumber() != b.isIntegralNumber()) {
                return DIFFERENT;
            }
            int c = compareNumbers(a, b);
            return c == UNORDERED ? ERROR : (c == 0 ? EQUAL : DIFFERENT);
        }
        if (a.getNodeType() != b.getNodeType()) {
            return DIFFERENT;
        }
        if (a.isArray()) {
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
        }
        if (a.isObject()) {
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
        }
        if (a.isTextual()) {
            if (!e.spend(a.textValue().length() >> 6)) {
                return ERROR;
            }
            return a.textValue().equals(b.textValue()) ? EQUAL : DIFFERENT;
        }
        if (a.isBoolean()) {
            return a.booleanValue() == b.booleanValue() ? EQUAL : DIFFERENT;
        }
        if (a.isNull()) {
            return EQUAL;
        }
        return a.equals(b) ? EQUAL : DIFFERENT;
    }

    /**
     * Negative, zero or positive; {@link #UNORDERED} unless both are numbers or both strings
     * (strings by code point, which is Elixir's byte order of UTF-8).
     */
    static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return compareNumbers(a, b);
        }
        if (a.isTextual() && b.isTextual()) {
            return compareCodePoints(a.textValue(), b.textValue());
        }
        return UNORDERED;
    }

    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    static int compareNumbers(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            if (a.canConvertToLong() && b.canConvertToLong()) {
                return Long.compare(a.longValue(), b.longValue());
            }
            return Integer.signum(a.bigIntegerValue().compareTo(b.bigIntegerValue()));
        }
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null) {
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
