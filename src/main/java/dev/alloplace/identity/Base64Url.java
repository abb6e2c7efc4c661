package dev.alloplace.identity;

import java.util.Base64;

/**
 * The one text form of keys, nonces and signatures on the wire and in files: base64url without
 * padding (RFC 4648 section 5). Decoding is strict (no padding, no other alphabet, no stray bits
 * in the last character), so every byte string has exactly one text and a key can be compared as
 * text, in an ACL rule for example.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** Characters the text of {@code bytes} bytes takes. */
    public static int length(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    /**
     * The bytes {@code text} stands for when it is canonical base64url of {@code minBytes} to
     * {@code maxBytes} bytes; otherwise null. The length is checked before anything is decoded.
     */
    public static byte[] decode(String text, int minBytes, int maxBytes) {
        if (text == null || text.length() < length(minBytes) || text.length() > length(maxBytes)) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length < minBytes || bytes.length > maxBytes || !encode(bytes).equals(text)) {
            return null;
        }
        return bytes;
    }
}
