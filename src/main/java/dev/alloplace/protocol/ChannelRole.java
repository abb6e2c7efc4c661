package dev.alloplace.protocol;

/** What a channel carries, independent of the numbering of a protocol version. */
public enum ChannelRole {
    STATE_DIFFS,
    COMMANDS,
    ASSETS,
    CLOCK,
    /** Protocol 4 audio. */
    AUDIO,
    /** Protocol 4 video. */
    VIDEO,
    /** Protocol 3: audio and video share one channel. */
    MEDIA
}
