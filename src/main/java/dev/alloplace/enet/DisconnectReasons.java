package dev.alloplace.enet;

/**
 * The codes this ENet host puts in the data of a DISCONNECT it sends because a limit was hit
 * (docs/protocol-extensions.md lists them). A refused CONNECT is answered with one of the 110x
 * codes, so the remote's ENet reports a disconnect with that data instead of waiting for a
 * timeout; a connection dropped for breaking a limit gets one of the 111x codes. They sit above
 * allonet's own codes (1000-1005).
 */
public final class DisconnectReasons {

    private DisconnectReasons() {
    }

    /** Every slot is taken ({@code server.max_peers}). */
    public static final int SERVER_FULL = 1101;
    /** The remote's address holds {@code server.max_peers_per_address} connections already. */
    public static final int TOO_MANY_FROM_ADDRESS = 1102;
    /** The remote's address holds its share of newcomer slots ({@code server.max_newcomers_per_address}). */
    public static final int TOO_MANY_NEWCOMERS_FROM_ADDRESS = 1103;
    /** Newcomers hold every slot they may ({@code server.max_newcomers}); try again shortly. */
    public static final int TOO_MANY_NEWCOMERS = 1104;
    /** The host is shutting down. */
    public static final int SHUTTING_DOWN = 1105;

    /** More bytes waiting for reassembly or order than one peer may have. */
    public static final int REASSEMBLY_LIMIT = 1111;
    /** The host's reassembly memory was full and this peer held the most of it. */
    public static final int REASSEMBLY_MEMORY_FULL = 1112;
    /** A reliable message waited for its fragments or for an earlier message too long. */
    public static final int REASSEMBLY_STALLED = 1113;
    /** More messages held out of order on a channel than allowed. */
    public static final int TOO_MANY_HELD_MESSAGES = 1114;
    /** Fragments that cannot make the message they claim to be part of. */
    public static final int MALFORMED_FRAGMENTS = 1115;
    /** The peer does not take what is sent to it: its outgoing queue passed its cap. */
    public static final int SEND_QUEUE_FULL = 1116;
}
