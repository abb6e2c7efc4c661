package dev.alloplace.media;

import java.util.Optional;

/** What the track registry needs to know about the place's entities; the place implements it. */
public interface MediaEntities {

    /**
     * The agent owning {@code entityId}; empty if the entity does not exist. Place-owned
     * entities answer with the place's owner id, which never matches an agent id.
     */
    Optional<String> ownerOf(String entityId);

    /** Whether the entity currently has a {@code live_media} component. */
    boolean hasLiveMedia(String entityId);
}
