package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Writes JSON values as Elixir literals (which our guard language reads the same way). */
final class ElixirText {

    private ElixirText() {
    }

    static String literal(JsonNode v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(JsonNode v, StringBuilder sb) {
        if (v.isNull()) {
            sb.append("nil");
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue());
        } else if (v.isIntegralNumber()) {
            sb.append(v.bigIntegerValue());
        } else if (v.isNumber()) {
            sb.append(floatLiteral(v.doubleValue()));
        } else if (v.isTextual()) {
            sb.append(string(v.textValue()));
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(v.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append("%{");
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(string(e.getKey())).append(" => ");
                write(e.getValue(), sb);
            }
            sb.append('}');
        }
    }

    /** Java writes 1.0E-5 and 100.0; both are Elixir float literals (digits on both sides of the point). */
    static String floatLiteral(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("no Elixir literal for " + d);
        }
        return Double.toString(d);
    }

    /** A double-quoted literal: backslash, quote and # escaped, control characters as \x{H}. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '#' -> sb.append("\\#");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\x{").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)).append('}');
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
