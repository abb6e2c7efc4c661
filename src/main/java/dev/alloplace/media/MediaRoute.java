package dev.alloplace.media;

import java.util.Collection;

/** What to do with one inbound media packet: forward it unchanged, or drop it and why. */
public sealed interface MediaRoute {

    /**
     * Send the packet's original bytes to each recipient, on {@link MediaChannels#channelFor}
     * of {@code type} in the recipient's layout, with {@link MediaChannels#DELIVERY}.
     * {@code recipients} is a live read-only view: iterate it before calling the registry again.
     */
    record Forward(long trackId, TrackType type, Collection<String> recipients) implements MediaRoute {
    }

    /** Drop the packet; the registry has counted it. */
    record Dropped(DropReason reason) implements MediaRoute {
    }

    /** Why a media packet was not forwarded. */
    enum DropReason {
        /** Shorter than {@link MediaFrame#MIN_LENGTH}. */
        MALFORMED,
        /** Larger than {@link MediaSettings#maxFrameBytes()}. */
        TOO_LARGE,
        /** No live track has this id. */
        UNKNOWN_TRACK,
        /** The sender did not allocate this track. */
        NOT_OWNER
    }
}
