package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Erlang's arithmetic over JSON numbers: integers are exact and unbounded, a float takes part as
 * an IEEE double (an integer meeting a float becomes the nearest double), and anything Erlang
 * refuses (a non-number, division by zero, a float result beyond the double range) is
 * {@code null}, a guard error. Work on big integers is paid for in evaluation steps, in proportion
 * to their size, before it is done.
 */
final class Numbers {

    /** An integer result beyond this many bits ends the match as over its limits (Erlang would raise system_limit). */
    private static final long MAX_BITS = 1L << 24;

    private Numbers() {
    }

    static boolean isInt(JsonNode v) {
        return v.isIntegralNumber();
    }

    static boolean isFloat(JsonNode v) {
        return v.isNumber() && !v.isIntegralNumber();
    }

    static JsonNode of(BigInteger big) {
        return big.bitLength() < 64 ? LongNode.valueOf(big.longValue()) : BigIntegerNode.valueOf(big);
    }

    static JsonNode of(double d) {
        return Double.isFinite(d) ? DoubleNode.valueOf(d) : null;
    }

    static BigInteger big(JsonNode v) {
        return v.bigIntegerValue();
    }

    private static boolean small(JsonNode v) {
        return v.canConvertToLong() && v.isIntegralNumber();
    }

    /** The number as a double, or NaN when an integer is too large for one (Erlang's badarith). */
    static double toDouble(JsonNode v) {
        if (v.isIntegralNumber()) {
            double d = small(v) ? (double) v.longValue() : v.bigIntegerValue().doubleValue();
            return Double.isFinite(d) ? d : Double.NaN;
        }
        return v.doubleValue();
    }

    /** Steps for an operation on numbers of these sizes: about one per 64-bit word of a big integer touched. */
    static int cost(JsonNode a, JsonNode b, boolean quadratic) {
        long x = words(a);
        long y = words(b);
        if (x == 1 && y == 1) {
            return 1;
        }
        long c = quadratic ? x * y : x + y;
        return (int) Math.min(c, Integer.MAX_VALUE);
    }

    private static long words(JsonNode v) {
        return v != null && v.isIntegralNumber() && !v.canConvertToLong() ? 1 + big(v).bitLength() / 64 : 1;
    }

    static JsonNode add(JsonNode a, JsonNode b) {
        if (isInt(a) && isInt(b)) {
            if (small(a) && small(b)) {
                long x = a.longValue();
                long y = b.longValue();
                long r = x + y;
                if (((x ^ r) & (y ^ r)) >= 0) {
                    return LongNode.valueOf(r);
                }
            }
            return of(big(a).add(big(b)));
        }
        return floats(a, b, '+');
    }

    static JsonNode subtract(JsonNode a, JsonNode b) {
        if (isInt(a) && isInt(b)) {
            if (small(a) && small(b)) {
                long x = a.longValue();
                long y = b.longValue();
                long r = x - y;
                if (((x ^ y) & (x ^ r)) >= 0) {
                    return LongNode.valueOf(r);
                }
            }
            return of(big(a).subtract(big(b)));
        }
        return floats(a, b, '-');
    }

    static JsonNode multiply(JsonNode a, JsonNode b, Evaluation e) {
        if (isInt(a) && isInt(b)) {
            if (small(a) && small(b)) {
                long x = a.longValue();
                long y = b.longValue();
                long hi = Math.multiplyHigh(x, y);
                long lo = x * y;
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                    return LongNode.valueOf(lo);
                }
            }
            if (big(a).bitLength() + (long) big(b).bitLength() > MAX_BITS) {
                e.exhaust();
                return null;
            }
            return of(big(a).multiply(big(b)));
        }
        return floats(a, b, '*');
    }

    /** {@code /}: always a float; dividing by zero is an error. */
    static JsonNode divide(JsonNode a, JsonNode b) {
        double x = toDouble(a);
        double y = toDouble(b);
        if (Double.isNaN(x) || Double.isNaN(y) || y == 0.0) {
            return null;
        }
        return of(x / y);
    }

    private static JsonNode floats(JsonNode a, JsonNode b, char op) {
        double x = toDouble(a);
        double y = toDouble(b);
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return null;
        }
        return of(switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            default -> x * y;
        });
    }

    /** {@code div/2}: integers, truncating towards zero. */
    static JsonNode intDivide(JsonNode a, JsonNode b) {
        if (!isInt(a) || !isInt(b) || big(b).signum() == 0) {
            return null;
        }
        if (small(a) && small(b) && !(a.longValue() == Long.MIN_VALUE && b.longValue() == -1)) {
            return LongNode.valueOf(a.longValue() / b.longValue());
        }
        return of(big(a).divide(big(b)));
    }

    /** {@code rem/2}: integers; the result has the sign of the dividend. */
    static JsonNode remainder(JsonNode a, JsonNode b) {
        if (!isInt(a) || !isInt(b) || big(b).signum() == 0) {
            return null;
        }
        if (small(a) && small(b)) {
            return b.longValue() == -1 ? LongNode.valueOf(0) : LongNode.valueOf(a.longValue() % b.longValue());
        }
        return of(big(a).remainder(big(b)));
    }

    static JsonNode negate(JsonNode a) {
        if (isInt(a)) {
            return small(a) && a.longValue() != Long.MIN_VALUE ? LongNode.valueOf(-a.longValue()) : of(big(a).negate());
        }
        return a.isNumber() ? DoubleNode.valueOf(-a.doubleValue()) : null;
    }

    static JsonNode abs(JsonNode a) {
        if (isInt(a)) {
            return small(a) && a.longValue() != Long.MIN_VALUE ? LongNode.valueOf(Math.abs(a.longValue()))
                    : of(big(a).abs());
        }
        return a.isNumber() ? DoubleNode.valueOf(Math.abs(a.doubleValue())) : null;
    }

    /** round (halves away from zero), trunc, ceil, floor: a number to an integer. */
    static JsonNode toInteger(JsonNode a, RoundingMode mode) {
        if (isInt(a)) {
            return a;
        }
        if (!a.isNumber()) {
            return null;
        }
        double d = a.doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        return of(new BigDecimal(d).setScale(0, mode).toBigIntegerExact());
    }

    /** Erlang's float/1. */
    static JsonNode toFloat(JsonNode a) {
        if (!a.isNumber()) {
            return null;
        }
        double d = toDouble(a);
        return Double.isNaN(d) ? null : DoubleNode.valueOf(d);
    }

    static JsonNode bitwise(JsonNode a, JsonNode b, char op) {
        if (!isInt(a) || !isInt(b)) {
            return null;
        }
        if (small(a) && small(b)) {
            long x = a.longValue();
            long y = b.longValue();
            return LongNode.valueOf(op == '&' ? x & y : op == '|' ? x | y : x ^ y);
        }
        BigInteger x = big(a);
        BigInteger y = big(b);
        return of(op == '&' ? x.and(y) : op == '|' ? x.or(y) : x.xor(y));
    }

    static JsonNode not(JsonNode a) {
        return isInt(a) ? (small(a) ? LongNode.valueOf(~a.longValue()) : of(big(a).not())) : null;
    }

    /** bsl(a, n) (or bsr when {@code left} is false); a negative n shifts the other way. */
    static JsonNode shift(JsonNode a, JsonNode n, boolean left, Evaluation e) {
        if (!isInt(a) || !isInt(n)) {
            return null;
        }
        if (!e.spend(cost(a, null, false))) {
            return null;
        }
        BigInteger count = big(n);
        boolean toLeft = left == (count.signum() >= 0);
        BigInteger magnitude = count.abs();
        BigInteger value = big(a);
        if (!toLeft) {
            if (magnitude.bitLength() > 31 || magnitude.intValue() >= value.bitLength() + 1) {
                return LongNode.valueOf(value.signum() < 0 ? -1 : 0);
            }
            return of(value.shiftRight(magnitude.intValue()));
        }
        if (value.signum() == 0) {
            return LongNode.valueOf(0);
        }
        if (magnitude.bitLength() > 31 || value.bitLength() + magnitude.longValue() > MAX_BITS) {
            e.exhaust();
            return null;
        }
        if (!e.spend((int) (magnitude.longValue() / 64))) {
            return null;
        }
        return of(value.shiftLeft(magnitude.intValue()));
    }
}
