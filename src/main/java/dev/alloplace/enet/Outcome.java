package dev.alloplace.enet;

/** What the walk over a datagram's commands does after handling one of them. */
enum Outcome {
    /** Handled, or deliberately ignored (a stale duplicate): a reliable command is acknowledged. */
    DONE,
    /** Too far ahead of the receive window to take now: not acknowledged, so the sender sends it again. */
    NOT_YET,
    /** Not acceptable here: the rest of the datagram is ignored, as C ENet does after a command error. */
    REJECT
}
