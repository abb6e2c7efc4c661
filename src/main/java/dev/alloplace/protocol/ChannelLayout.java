package dev.alloplace.protocol;

import dev.alloplace.transport.Delivery;
import java.util.Optional;

/**
 * Which ENet channel carries what, for each protocol version. A peer's layout is known from the
 * channel count it connects with (5 or 6), before it sends a single message, and must agree with
 * the version it then announces.
 */
public enum ChannelLayout {
    /** Protocol 3: the documented 5-channel layout. */
    V3(3, 5, 0, 1, 2, 4, 3, 3),
    /** Protocol 4: current allonet; audio first, statediffs on 2. */
    V4(4, 6, 2, 1, 3, 5, 0, 4);

    private final int version;
    private final int channelCount;
    private final int stateDiffs;
    private final int commands;
    private final int assets;
    private final int clock;
    private final int audio;
    private final int video;

    ChannelLayout(int version, int channelCount, int stateDiffs, int commands, int assets, int clock,
            int audio, int video) {
        this.version = version;
        this.channelCount = channelCount;
        this.stateDiffs = stateDiffs;
        this.commands = commands;
        this.assets = assets;
        this.clock = clock;
        this.audio = audio;
        this.video = video;
    }

    /** The layout a peer asked for with its ENet channel count, if it is one we speak. */
    public static Optional<ChannelLayout> forChannelCount(int channelCount) {
        for (ChannelLayout layout : values()) {
            if (layout.channelCount == channelCount) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    /**
     * The layout a connection speaks: protocol 3 with exactly 5 channels, protocol 4 with 6 or
     * more (allonet asks for a few spare ones), none otherwise.
     */
    public static Optional<ChannelLayout> ofConnection(int channelCount) {
        return channelCount == V3.channelCount ? Optional.of(V3)
                : channelCount >= V4.channelCount ? Optional.of(V4) : Optional.empty();
    }

    public static Optional<ChannelLayout> forVersion(int version) {
        for (ChannelLayout layout : values()) {
            if (layout.version == version) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    public int version() {
        return version;
    }

    public int channelCount() {
        return channelCount;
    }

    /** State diffs to the client; intents from it. */
    public int stateDiffs() {
        return stateDiffs;
    }

    public int commands() {
        return commands;
    }

    public int assets() {
        return assets;
    }

    public int clock() {
        return clock;
    }

    public int audio() {
        return audio;
    }

    public int video() {
        return video;
    }

    /** What travels on {@code channel}, or empty for a channel outside the layout. */
    public Optional<ChannelRole> roleOf(int channel) {
        if (channel < 0 || channel >= channelCount) {
            return Optional.empty();
        }
        if (channel == stateDiffs) {
            return Optional.of(ChannelRole.STATE_DIFFS);
        }
        if (channel == commands) {
            return Optional.of(ChannelRole.COMMANDS);
        }
        if (channel == assets) {
            return Optional.of(ChannelRole.ASSETS);
        }
        if (channel == clock) {
            return Optional.of(ChannelRole.CLOCK);
        }
        if (channel == audio) {
            return Optional.of(this == V3 ? ChannelRole.MEDIA : ChannelRole.AUDIO);
        }
        if (channel == video) {
            return Optional.of(ChannelRole.VIDEO);
        }
        return Optional.empty();
    }

    /** The channel that carries {@code role}; MEDIA, AUDIO and VIDEO share channel 3 in protocol 3. */
    public int channelOf(ChannelRole role) {
        return switch (role) {
            case STATE_DIFFS -> stateDiffs;
            case COMMANDS -> commands;
            case ASSETS -> assets;
            case CLOCK -> clock;
            case AUDIO, MEDIA -> audio;
            case VIDEO -> video;
        };
    }

    /** allonet's send rule: commands and assets reliable, everything else unreliable sequenced. */
    public Delivery deliveryOf(ChannelRole role) {
        return role == ChannelRole.COMMANDS || role == ChannelRole.ASSETS ? Delivery.RELIABLE : Delivery.UNRELIABLE;
    }
}
