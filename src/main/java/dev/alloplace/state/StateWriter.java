package dev.alloplace.state;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Compact JSON straight into a growable byte array, for the state messages the heartbeat sends
 * every 50 ms: no generator contexts or serializer lookups, and pre-encoded pieces (a cached
 * entity) are copied in as they are. Any string is written as valid JSON, including lone
 * surrogates (escaped), which a stock UTF-8 generator refuses.
 */
final class StateWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);
    /** Below 2^53 every whole double is exactly a long. */
    private static final double WHOLE_NUMBERS_EXACT = 0x1p53;

    private byte[] buffer;
    private int length;

    StateWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    int length() {
        return length;
    }

    /** What was written; the buffer itself when it is exactly full (the writer is then done with). */
    byte[] toByteArray() {
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    /** A copy of what was written, for a writer that is {@link #reset} and used again. */
    byte[] copy() {
        return Arrays.copyOf(buffer, length);
    }

    /** Starts over, keeping the buffer unless it grew past {@code keepAtMost} bytes. */
    void reset(int keepAtMost) {
        length = 0;
        if (buffer.length > keepAtMost) {
            buffer = new byte[keepAtMost];
        }
    }

    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Writes a comma unless {@code first}; returns false, the next call's {@code first}. */
    boolean separator(boolean first) {
        if (!first) {
            put(',');
        }
        return false;
    }

    /** {@code "name":} */
    void key(String name) {
        string(name);
        put(':');
    }

    void number(long value) {
        if (value >= 0 && value < 10) {
            put('0' + (int) value);
        } else {
            ascii(Long.toString(value));
        }
    }

    void string(String text) {
        ensure(text.length() + 2);
        buffer[length++] = '"';
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                buffer[length++] = (byte) c;
            } else {
                i = special(text, i, c);
            }
        }
        put('"');
    }

    /** Writes one escaped or multi-byte character; returns the index of its last char. */
    private int special(String text, int i, char c) {
        if (c == '"' || c == '\\') {
            put('\\');
            put(c);
        } else if (c < 0x20) {
            escape(c);
        } else if (c < 0x800) {
            put(0xC0 | (c >> 6));
            put(0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, text.charAt(i + 1));
            put(0xF0 | (cp >> 18));
            put(0x80 | ((cp >> 12) & 0x3F));
            put(0x80 | ((cp >> 6) & 0x3F));
            put(0x80 | (cp & 0x3F));
            return i + 1;
        } else if (Character.isSurrogate(c)) {
            escape(c);
        } else {
            put(0xE0 | (c >> 12));
            put(0x80 | ((c >> 6) & 0x3F));
            put(0x80 | (c & 0x3F));
        }
        return i;
    }

    private void escape(char c) {
        ensure(6);
        buffer[length++] = '\\';
        buffer[length++] = 'u';
        buffer[length++] = HEX[(c >> 12) & 0xF];
        buffer[length++] = HEX[(c >> 8) & 0xF];
        buffer[length++] = HEX[(c >> 4) & 0xF];
        buffer[length++] = HEX[c & 0xF];
    }

    /** Any JSON tree, compact, object fields in their order. */
    void value(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                put('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    first = separator(first);
                    key(field.getKey());
                    value(field.getValue());
                }
                put('}');
            }
            case ARRAY -> {
                if (node instanceof NumberArrayNode numbers) {
                    numbers(numbers);
                    return;
                }
                put('[');
                for (int i = 0; i < node.size(); i++) {
                    separator(i == 0);
                    value(node.get(i));
                }
                put(']');
            }
            case STRING -> string(node.textValue());
            case NUMBER -> number(node);
            case BOOLEAN -> raw(node.booleanValue() ? TRUE : FALSE);
            case NULL, MISSING -> raw(NULL);
            default -> raw(ProtocolJson.write(node));
        }
    }

    /**
     * The place's own numbers (the simulation's matrices): a whole number is written without its
     * ".0", as the C reference server writes them, so a transform of a moving avatar is a fifth
     * shorter on the wire; it reads back as the same number (-0.0 keeps its
     * fraction, and so its sign, in any reader).
     */
    private void numbers(NumberArrayNode numbers) {
        put('[');
        for (int i = 0; i < numbers.size(); i++) {
            separator(i == 0);
            double value = numbers.number(i);
            if (value == Math.rint(value) && Math.abs(value) < WHOLE_NUMBERS_EXACT
                    && Double.doubleToRawLongBits(value) != NEGATIVE_ZERO_BITS) {
                number((long) value);
            } else {
                number(value);
            }
        }
        put(']');
    }

    private void number(double value) {
        if (Double.isFinite(value)) {
            ascii(NumberOutput.toString(value, true));
        } else {
            string(Double.toString(value));
        }
    }

    private void number(JsonNode node) {
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value) || node.isDouble()) {
                number(value);
            } else {
                ascii(NumberOutput.toString(node.floatValue(), true));
            }
        } else if (node.isInt() || node.isLong() || node.isShort()) {
            number(node.longValue());
        } else if (node.isBigDecimal()) {
            ascii(node.decimalValue().toString());
        } else {
            ascii(node.bigIntegerValue().toString());
        }
    }

    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void put(int b) {
        ensure(1);
        buffer[length++] = (byte) b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
