package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Elixir binaries over JSON values. A binary is a {@link TextNode} when its bytes are UTF-8 (every
 * JSON string, and most results), and a {@link BinaryNode} only when they are not (a
 * {@code binary_part} that cuts a character, a {@code "\xFF"} literal). Keeping that one form per
 * byte sequence lets equality stay a cheap string comparison; ordering is by bytes, which for
 * UTF-8 text is the order of code points.
 */
final class Binaries {

    private Binaries() {
    }

    static boolean is(JsonNode v) {
        return v.isTextual() || v.isBinary();
    }

    /** The one node for these bytes: text if they are UTF-8. */
    static JsonNode node(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return TextNode.valueOf(text);
        } catch (CharacterCodingException notText) {
            return BinaryNode.valueOf(bytes);
        }
    }

    static byte[] bytes(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue().getBytes(StandardCharsets.UTF_8);
        }
        return ((BinaryNode) v).binaryValue();
    }

    /** Bytes in the UTF-8 form ({@link #bytes}), counted without encoding. */
    static long size(JsonNode v) {
        if (v.isBinary()) {
            return ((BinaryNode) v).binaryValue().length;
        }
        String s = v.textValue();
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1; // a lone surrogate (which no JSON decoder should let through) encodes as '?'
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A quick measure of the work a comparison or search over the binary costs: chars or bytes. */
    static long weight(JsonNode v) {
        return v.isTextual() ? v.textValue().length() : ((BinaryNode) v).binaryValue().length;
    }

    /** Unsigned byte order; for two texts the same as comparing code points. */
    static int compare(JsonNode a, JsonNode b) {
        if (a.isTextual() && b.isTextual()) {
            return compareCodePoints(a.textValue(), b.textValue());
        }
        return Integer.signum(Arrays.compareUnsigned(bytes(a), bytes(b)));
    }

    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        return a.isBinary() && b.isBinary() && Arrays.equals(bytes(a), bytes(b));
    }

    static int compareCodePoints(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            char cx = x.charAt(i);
            char cy = y.charAt(i);
            if (cx != cy) {
                // UTF-16 puts U+E000..U+FFFF after the surrogates that encode U+10000 and above.
                boolean sx = Character.isSurrogate(cx);
                boolean sy = Character.isSurrogate(cy);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return cx < cy ? -1 : 1;
            }
        }
        return Integer.compare(x.length(), y.length());
    }

    static JsonNode concat(JsonNode a, JsonNode b) {
        if (a.isTextual() && b.isTextual()) {
            return TextNode.valueOf(a.textValue().concat(b.textValue()));
        }
        byte[] x = bytes(a);
        byte[] y = bytes(b);
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return node(out);
    }

    /** Erlang's binary_part/3: a negative length counts back from start; null if outside the binary. */
    static JsonNode part(JsonNode bin, long start, long length) {
        long size = size(bin);
        long from = length >= 0 ? start : start + length;
        long count = Math.abs(length);
        if (start < 0 || start > size || from < 0 || from + count > size) {
            return null;
        }
        byte[] bytes = bytes(bin);
        return node(Arrays.copyOfRange(bytes, (int) from, (int) (from + count)));
    }

    static boolean startsWith(JsonNode s, JsonNode prefix) {
        if (s.isTextual() && prefix.isTextual()) {
            return s.textValue().startsWith(prefix.textValue());
        }
        byte[] x = bytes(s);
        byte[] p = bytes(prefix);
        return p.length <= x.length && Arrays.equals(x, 0, p.length, p, 0, p.length);
    }

    static boolean contains(JsonNode s, JsonNode part) {
        if (s.isTextual() && part.isTextual()) {
            return s.textValue().contains(part.textValue());
        }
        byte[] x = bytes(s);
        byte[] p = bytes(part);
        outer:
        for (int i = 0; i + p.length <= x.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (x[i + j] != p[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
