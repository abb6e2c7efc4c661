package dev.alloplace.transport;

/**
 * Opaque handle of one connection, unique for the lifetime of the transport that issued it.
 * The place keys agents by it and never learns anything about ENet peers or slots.
 */
public record ConnectionId(long value) {
    @Override
    public String toString() {
        return "conn#" + value;
    }
}
