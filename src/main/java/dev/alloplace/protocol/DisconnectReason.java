package dev.alloplace.protocol;

/**
 * Why the place ended a connection: the 32-bit data of its ENet disconnect. 1003 and 1005 are
 * allonet's own codes ({@code alloerror_outdated_version}, {@code alloerror_kicked_by_admin});
 * 1006 and up are this server's. A client that does not know a code shows a generic
 * disconnect, and before the disconnects that are not a client's own doing the place sends
 * {@code ["disconnecting", code, "<why>"]} on the commands channel, so an app can log the reason.
 */
public enum DisconnectReason {
    /** The announce named another protocol version, or the channel count is no version we speak. */
    PROTOCOL_OUTDATED(1003),
    /** {@code kick_agent}, the admin API, or an ACL rule that refused the announce. */
    KICKED(1005),
    /**
     * The agent kept more queued for the place than its share allows ({@code place.agent_backlog_*}):
     * it sent faster than the place thread gives it time, for longer than the grace.
     */
    BACKLOG(1006),
    /** The connection did not announce within {@code place.announce_timeout_ms}. */
    ANNOUNCE_TIMEOUT(1007),
    /**
     * The announce claimed a public key it did not prove: no signature, a signature that does not
     * verify, or a challenge that was never issued, already used or expired.
     */
    IDENTITY_REFUSED(1008);

    private final int code;

    DisconnectReason(int code) {
        this.code = code;
    }

    /** The value sent as ENet disconnect data. */
    public int code() {
        return code;
    }

    /** A disconnect code as people read it: {@code "kicked (1005)"}, or {@code "code 42"} for one not listed here. */
    public static String describe(int code) {
        for (DisconnectReason reason : values()) {
            if (reason.code == code) {
                return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + code + ")";
            }
        }
        return "code " + code;
    }
}
