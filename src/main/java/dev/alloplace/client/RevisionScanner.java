package dev.alloplace.client;

import java.nio.charset.StandardCharsets;

/** Finds the top-level {@code "revision":N} of a state document without parsing it. */
final class RevisionScanner {

    private static final byte[] KEY = "\"revision\":".getBytes(StandardCharsets.US_ASCII);

    private RevisionScanner() {
    }

    /** The revision, or -1. The place writes it after "entities", so the last occurrence is the top-level one. */
    static long revisionOf(byte[] json) {
        outer:
        for (int i = json.length - KEY.length; i >= 0; i--) {
            for (int k = 0; k < KEY.length; k++) {
                if (json[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int j = i + KEY.length;
            if (j >= json.length || json[j] < '0' || json[j] > '9') {
                return -1;
            }
            while (j < json.length && json[j] >= '0' && json[j] <= '9') {
                value = value * 10 + (json[j] - '0');
                j++;
            }
            return value;
        }
        return -1;
    }
}
