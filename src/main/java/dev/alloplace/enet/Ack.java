package dev.alloplace.enet;

/** An acknowledgement owed to a peer, sent ahead of everything else in its next datagram. */
record Ack(int channel, int seq, int sentTime, boolean disconnect) {
}
