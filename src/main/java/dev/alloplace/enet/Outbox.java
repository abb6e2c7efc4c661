package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import dev.alloplace.transport.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an application message into the commands C ENet would queue for it: one reliable,
 * unreliable or unsequenced command, or fragments when it does not fit one datagram (ENET.md
 * 7.1-7.3). Sequence numbers are the peer's; nothing is sent here.
 */
final class Outbox {

    /** What became of a message handed to {@link #send}. */
    enum Result {
        QUEUED,
        /** Not sendable (too big, too many fragments); counted on the peer, nothing else happens. */
        DROPPED,
        /** The peer's outgoing queue would pass {@code maxQueuedBytes}: the peer must go. */
        OVER_LIMIT
    }

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final EnetSettings settings;
    private final int checksumSize;

    Outbox(EnetSettings settings) {
        this.settings = settings;
        this.checksumSize = settings.checksum() ? CHECKSUM_SIZE : 0;
    }

    Result send(Peer peer, int channel, byte[] data, Delivery delivery) {
        peer.statsChanged = true;
        if (data.length > settings.maxPacketSize()) {
            log.warn("dropping a {}-byte message to {}: larger than the {}-byte limit", data.length, peer.address,
                    settings.maxPacketSize());
            peer.messagesDropped++;
            return Result.DROPPED;
        }
        if (peer.queuedBytes + data.length > settings.maxQueuedBytes()) {
            return Result.OVER_LIMIT;
        }
        ChannelState ch = peer.channels[channel];
        int fragmentSize = peer.mtu - FULL_HEADER_SIZE - FRAGMENT_HEADER_SIZE - checksumSize;
        if (data.length > fragmentSize) {
            return fragments(peer, channel, ch, data, fragmentSize,
                    delivery == Delivery.UNRELIABLE_FRAGMENTED && ch.outgoingUnreliableSeq < 0xFFFF);
        }
        if (delivery == Delivery.RELIABLE || ch.outgoingUnreliableSeq >= 0xFFFF && delivery != Delivery.UNSEQUENCED) {
            int seq = ch.outgoingReliableSeq = (ch.outgoingReliableSeq + 1) & 0xFFFF;
            ch.outgoingUnreliableSeq = 0;
            peer.queue(new Outgoing(new Command.SendReliable(channel, seq, data, 0, data.length), true, false));
        } else if (delivery == Delivery.UNSEQUENCED) {
            int group = peer.outgoingUnsequencedGroup = (peer.outgoingUnsequencedGroup + 1) & 0xFFFF;
            peer.queue(new Outgoing(new Command.SendUnsequenced(channel, group, data, 0, data.length), false, true));
        } else {
            int unreliableSeq = ch.outgoingUnreliableSeq = ch.outgoingUnreliableSeq + 1;
            peer.queue(new Outgoing(new Command.SendUnreliable(channel, ch.outgoingReliableSeq, unreliableSeq, data, 0,
                    data.length), false, true));
        }
        return Result.QUEUED;
    }

    private static Result fragments(Peer peer, int channel, ChannelState ch, byte[] data, int fragmentSize,
            boolean unreliable) {
        int count = (data.length + fragmentSize - 1) / fragmentSize;
        if (count > MAXIMUM_FRAGMENT_COUNT) {
            peer.messagesDropped++;
            return Result.DROPPED;
        }
        if (unreliable) {
            int unreliableSeq = ch.outgoingUnreliableSeq = (ch.outgoingUnreliableSeq + 1) & 0xFFFF;
            for (int i = 0, offset = 0; i < count; i++, offset += fragmentSize) {
                int length = Math.min(fragmentSize, data.length - offset);
                peer.queue(new Outgoing(new Command.SendFragment(false, channel, ch.outgoingReliableSeq,
                        unreliableSeq, count, i, data.length, offset, data, offset, length), false, i == 0));
            }
            return Result.QUEUED;
        }
        int start = (ch.outgoingReliableSeq + 1) & 0xFFFF;
        for (int i = 0, offset = 0; i < count; i++, offset += fragmentSize) {
            int length = Math.min(fragmentSize, data.length - offset);
            int seq = ch.outgoingReliableSeq = (ch.outgoingReliableSeq + 1) & 0xFFFF;
            peer.queue(new Outgoing(new Command.SendFragment(true, channel, seq, start, count, i,
                    data.length, offset, data, offset, length), true, false));
        }
        ch.outgoingUnreliableSeq = 0;
        return Result.QUEUED;
    }
}
