package dev.alloplace.enet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sequence numbers, send windows and receive queues of one channel of one peer. */
final class ChannelState {
    int outgoingReliableSeq;
    int outgoingUnreliableSeq;
    int incomingReliableSeq;
    int incomingUnreliableSeq;
    final int[] reliableWindows = new int[EnetProtocol.PEER_RELIABLE_WINDOWS];
    int usedReliableWindows;
    /** Reliable messages (whole or being reassembled) ahead of the next expected one, by start seq. */
    final Map<Integer, IncomingMessage> incomingReliable = new HashMap<>();
    /** Unreliable messages waiting for the reliable message they followed on the sender. */
    final List<IncomingMessage> heldUnreliable = new ArrayList<>();
    /** Unreliable fragments being reassembled, by (reliable seq << 16 | unreliable seq). */
    final Map<Integer, IncomingMessage> unreliableFragments = new HashMap<>();

    void clear() {
        incomingReliable.clear();
        heldUnreliable.clear();
        unreliableFragments.clear();
        Arrays.fill(reliableWindows, 0);
        usedReliableWindows = 0;
    }
}
