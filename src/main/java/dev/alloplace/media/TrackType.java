package dev.alloplace.media;

import java.util.Optional;
import java.util.Set;

/** The two kinds of live media a track carries; decides the formats allowed and the channel. */
public enum TrackType {
    AUDIO("audio", Set.of("opus")),
    VIDEO("video", Set.of("mjpeg", "h264"));

    private final String wireName;
    private final Set<String> formats;

    TrackType(String wireName, Set<String> formats) {
        this.wireName = wireName;
        this.formats = formats;
    }

    /** The name used in {@code allocate_track} bodies and the {@code live_media} component. */
    public String wireName() {
        return wireName;
    }

    /** Whether real clients can decode {@code format} for this type. */
    public boolean supports(String format) {
        return formats.contains(format);
    }

    public static Optional<TrackType> fromWire(String name) {
        for (TrackType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
