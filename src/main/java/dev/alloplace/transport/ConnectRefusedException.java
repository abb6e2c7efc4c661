package dev.alloplace.transport;

/**
 * A connection attempt the remote answered with a disconnect instead of completing the
 * handshake; {@link #reason()} is the code it gave (docs/protocol-extensions.md lists ours).
 */
public final class ConnectRefusedException extends IllegalStateException {

    private final int reason;

    public ConnectRefusedException(int reason) {
        super("the remote refused the connection (reason " + reason + ")");
        this.reason = reason;
    }

    public int reason() {
        return reason;
    }
}
