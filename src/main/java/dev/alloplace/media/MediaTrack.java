package dev.alloplace.media;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** One allocated track with its subscribers and counters; owned by {@link TrackRegistry}. */
final class MediaTrack {

    final long id;
    final TrackType type;
    final String format;
    final String ownerAgent;
    final String entityId;
    private final Set<String> subscribers = new LinkedHashSet<>();
    private final Collection<String> subscribersView = Collections.unmodifiableSet(subscribers);
    long packets;
    long bytes;
    long forwarded;
    long drops;

    MediaTrack(long id, TrackType type, String format, String ownerAgent, String entityId) {
        this.id = id;
        this.type = type;
        this.format = format;
        this.ownerAgent = ownerAgent;
        this.entityId = entityId;
    }

    boolean subscribe(String agentId) {
        return subscribers.add(agentId);
    }

    boolean unsubscribe(String agentId) {
        return subscribers.remove(agentId);
    }

    Collection<String> subscribers() {
        return subscribersView;
    }

    TrackStats stats() {
        return new TrackStats(id, type, format, ownerAgent, entityId, subscribers.size(),
                packets, bytes, forwarded, drops);
    }
}
