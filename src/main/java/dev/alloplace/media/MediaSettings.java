package dev.alloplace.media;

/**
 * Limits of the media relay.
 *
 * @param maxTracksPerAgent how many tracks one agent may hold at once
 * @param maxFrameBytes media packets larger than this are dropped (a 1080p H.264 key frame is
 *     well below the default)
 */
public record MediaSettings(int maxTracksPerAgent, int maxFrameBytes) {

    public MediaSettings {
        if (maxTracksPerAgent < 1) {
            throw new IllegalArgumentException("maxTracksPerAgent must be >= 1");
        }
        if (maxFrameBytes < MediaFrame.MIN_LENGTH) {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + MediaFrame.MIN_LENGTH);
        }
    }

    public static MediaSettings defaults() {
        return new MediaSettings(16, 1024 * 1024);
    }
}
