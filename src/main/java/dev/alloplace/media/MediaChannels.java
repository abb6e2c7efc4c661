package dev.alloplace.media;

import dev.alloplace.transport.Delivery;
import java.util.OptionalInt;

/**
 * Which ENet channel carries media for a recipient, by its protocol version. Forwarding by the
 * track's type (instead of echoing the arrival channel, as the C server does) keeps a protocol-3
 * sender audible to protocol-4 recipients and the other way round.
 */
public final class MediaChannels {

    /** Protocol 4 (allonet 4, 6 channels): audio. */
    public static final int V4_AUDIO = 0;
    /** Protocol 4: video. */
    public static final int V4_VIDEO = 4;
    /** Protocol 3 (allonet 3, 5 channels): audio and video share one channel. */
    public static final int V3_MEDIA = 3;

    /**
     * How forwarded media is sent: never reliable (a late frame is worthless), and large video
     * frames as unreliable fragments so a lost fragment does not block the channel.
     */
    public static final Delivery DELIVERY = Delivery.UNRELIABLE_FRAGMENTED;

    private MediaChannels() {
    }

    /** The channel for {@code type} in layout {@code protocolVersion}; empty for unknown versions. */
    public static OptionalInt channelFor(TrackType type, int protocolVersion) {
        return switch (protocolVersion) {
            case 3 -> OptionalInt.of(V3_MEDIA);
            case 4 -> OptionalInt.of(type == TrackType.AUDIO ? V4_AUDIO : V4_VIDEO);
            default -> OptionalInt.empty();
        };
    }

    /** Whether {@code channel} carries media packets in layout {@code protocolVersion}. */
    public static boolean isMediaChannel(int channel, int protocolVersion) {
        return switch (protocolVersion) {
            case 3 -> channel == V3_MEDIA;
            case 4 -> channel == V4_AUDIO || channel == V4_VIDEO;
            default -> false;
        };
    }
}
