package dev.alloplace.transport;

/** Why a connection ended, as observed by the side that reports it. */
public enum DisconnectCause {
    /** The remote side disconnected (its reason code is in the event's data). */
    REMOTE,
    /** This side asked for the disconnect and it completed. */
    LOCAL,
    /** The remote side stopped acknowledging and the timeout rules declared it dead. */
    TIMEOUT,
    /** This side dropped the connection because it broke a limit (memory, queue, protocol). */
    VIOLATION,
    /** The transport is shutting down. */
    SHUTDOWN
}
