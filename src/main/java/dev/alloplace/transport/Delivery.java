package dev.alloplace.transport;

/** How a message is to be delivered on its channel. */
public enum Delivery {
    /** Arrives exactly once, in order with the other reliable messages of the channel. */
    RELIABLE,
    /**
     * Sequenced but may be lost; never arrives out of order. A message larger than one datagram
     * is fragmented reliably, as C ENet does without {@code ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT}.
     */
    UNRELIABLE,
    /**
     * Like {@link #UNRELIABLE}, but a message larger than one datagram is sent as unreliable
     * fragments: losing one fragment loses the message, and nothing blocks the channel.
     */
    UNRELIABLE_FRAGMENTED,
    /** May be lost, duplicated-free, in any order. */
    UNSEQUENCED
}
