package dev.alloplace.media;

/**
 * Counters of one live track, for metrics and the inspector.
 *
 * @param packets packets accepted from the owner
 * @param bytes bytes accepted from the owner
 * @param forwarded copies handed to subscribers
 * @param drops packets for this track that were dropped (sent by someone other than the owner,
 *     or too large)
 */
public record TrackStats(
        long trackId,
        TrackType type,
        String format,
        String ownerAgent,
        String entityId,
        int subscribers,
        long packets,
        long bytes,
        long forwarded,
        long drops) {
}
