package dev.alloplace.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Outcome of an {@code allocate_track} request; either way the place sends {@link #responseBody()}. */
public sealed interface AllocateResult {

    /** The body of the interaction response, e.g. {@code ["allocate_track","ok",3]}. */
    ArrayNode responseBody();

    /**
     * The track exists; the place must set {@code liveMedia} as the {@code live_media}
     * component of {@code entityId} in the same turn.
     */
    record Allocated(long trackId, String entityId, ObjectNode liveMedia, ArrayNode responseBody)
            implements AllocateResult {
    }

    /** Nothing changed; {@code reason} is also the third element of the response body. */
    record Refused(String reason, ArrayNode responseBody) implements AllocateResult {
    }
}
