package dev.alloplace.place;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Short random ids in allonet's style (letters a–y), never reused within a session. */
final class EntityIds {
    private final Set<String> used = new HashSet<>();

    String nextEntityId() {
        return unique(10);
    }

    String nextAgentId() {
        return unique(16);
    }

    /** Marks ids that exist already (place entities, restored state). */
    void reserve(String id) {
        used.add(id);
    }

    private String unique(int length) {
        while (true) {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) ('a' + ThreadLocalRandom.current().nextInt(25));
            }
            String id = new String(chars);
            if (used.add(id)) {
                return id;
            }
        }
    }
}
