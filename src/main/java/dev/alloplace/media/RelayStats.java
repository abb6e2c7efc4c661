package dev.alloplace.media;

/** Relay-wide counters of dropped packets that belong to no live track, and the live track count. */
public record RelayStats(long liveTracks, long allocated, long malformedDrops, long tooLargeDrops,
        long unknownTrackDrops, long notOwnerDrops) {
}
