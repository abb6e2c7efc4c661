package dev.alloplace.transport;

/**
 * One message to send, as a value, so a thread can hand a whole batch (a heartbeat's diffs) to
 * the transport at once. The transport takes ownership of {@code payload}: the sender must not
 * change it afterwards; the same array may be shared by many messages of one batch.
 */
public record OutboundMessage(ConnectionId connection, int channel, byte[] payload, Delivery delivery) {
}
