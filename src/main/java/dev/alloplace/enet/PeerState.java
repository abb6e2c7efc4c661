package dev.alloplace.enet;

/** The C library's peer states that this implementation passes through. */
enum PeerState {
    DISCONNECTED,
    CONNECTING,
    ACKNOWLEDGING_CONNECT,
    CONNECTED,
    DISCONNECT_LATER,
    DISCONNECTING,
    ACKNOWLEDGING_DISCONNECT,
    ZOMBIE;

    boolean acceptsData() {
        return this == CONNECTED || this == DISCONNECT_LATER;
    }
}
