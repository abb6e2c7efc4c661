package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import dev.alloplace.transport.TransportListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive side of a connection's channels: the reliable window, ordering and duplicate
 * detection, unreliable sequencing, the unsequenced window, reassembly of fragments, and handing
 * each whole message to the application in order (ENET.md 5.4, 6.3, 7). What waits for an
 * earlier message or for more fragments is charged to the {@link ReceiveBudget}.
 */
final class Reassembly {

    /** Where a reliable sequence number falls relative to a channel's receive window (ENET.md 5.4). */
    enum Window {
        /** May be queued. */
        INSIDE,
        /** In the two windows past the free ones: neither queued nor acknowledged, the sender retries. */
        AHEAD,
        /** Behind the window (already delivered) or hopelessly far: ignored, but acknowledged. */
        STALE
    }

    private static final Logger log = LoggerFactory.getLogger(Reassembly.class);

    private final EnetSettings settings;
    private final ReceiveBudget budget;
    private final Endings endings;
    private final TransportListener listener;

    Reassembly(EnetSettings settings, ReceiveBudget budget, Endings endings, TransportListener listener) {
        this.settings = settings;
        this.budget = budget;
        this.endings = endings;
        this.listener = listener;
    }

    Outcome reliable(Peer peer, Command.SendReliable command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.REJECT;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.DONE;
        }
        ChannelState ch = peer.channels[command.channel()];
        Window window = window(ch, command.seq());
        if (window != Window.INSIDE || command.seq() == ch.incomingReliableSeq
                || ch.incomingReliable.containsKey(command.seq())) {
            return window == Window.AHEAD ? Outcome.NOT_YET : Outcome.DONE;
        }
        if (!admit(peer, ch, command.length())) {
            return Outcome.REJECT;
        }
        ch.incomingReliable.put(command.seq(), IncomingMessage.whole(true, command.seq(), 0, command.data()));
        deliverReliable(peer, command.channel());
        return Outcome.DONE;
    }

    Outcome reliableFragment(Peer peer, Command.SendFragment fragment) {
        if (!peer.state.acceptsData() || fragment.channel() >= peer.channels.length || !valid(fragment)) {
            return Outcome.REJECT;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.DONE;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int start = fragment.startSeq();
        Window window = window(ch, start);
        if (window != Window.INSIDE || start == ch.incomingReliableSeq) {
            return window == Window.STALE ? Outcome.DONE : notYetIfAhead(ch, fragment.seq());
        }
        IncomingMessage message = ch.incomingReliable.get(start);
        if (message == null) {
            if (!admit(peer, ch, fragment.totalLength())) {
                return Outcome.REJECT;
            }
            message = new IncomingMessage(true, start, 0, fragment.fragmentCount(), fragment.totalLength());
            ch.incomingReliable.put(start, message);
        } else if (message.fragmentCount != fragment.fragmentCount() || message.data.length != fragment.totalLength()) {
            return Outcome.REJECT;
        }
        message.addFragment(fragment.fragmentNumber(), fragment.fragmentOffset(), fragment.data(), fragment.length());
        if (message.complete()) {
            deliverReliable(peer, fragment.channel());
        }
        return notYetIfAhead(ch, fragment.seq());
    }

    Outcome unreliable(Peer peer, Command.SendUnreliable command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.REJECT;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.DONE;
        }
        ChannelState ch = peer.channels[command.channel()];
        acceptUnreliable(peer, command.channel(), ch,
                IncomingMessage.whole(false, command.seq(), command.unreliableSeq(), command.data()));
        return Outcome.DONE;
    }

    Outcome unreliableFragment(Peer peer, Command.SendFragment fragment) {
        if (!peer.state.acceptsData() || fragment.channel() >= peer.channels.length || !valid(fragment)) {
            return Outcome.REJECT;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.DONE;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int reliableSeq = fragment.seq();
        int unreliableSeq = fragment.startSeq();
        if (window(ch, reliableSeq) != Window.INSIDE
                || reliableSeq == ch.incomingReliableSeq && unreliableSeq <= ch.incomingUnreliableSeq) {
            return Outcome.DONE;
        }
        int key = reliableSeq << 16 | unreliableSeq;
        IncomingMessage message = ch.unreliableFragments.get(key);
        if (message == null) {
            if (!admit(peer, ch, fragment.totalLength())) {
                return Outcome.REJECT;
            }
            message = new IncomingMessage(false, reliableSeq, unreliableSeq, fragment.fragmentCount(),
                    fragment.totalLength());
            ch.unreliableFragments.put(key, message);
        } else if (message.fragmentCount != fragment.fragmentCount() || message.data.length != fragment.totalLength()) {
            return Outcome.REJECT;
        }
        message.addFragment(fragment.fragmentNumber(), fragment.fragmentOffset(), fragment.data(), fragment.length());
        if (message.complete()) {
            ch.unreliableFragments.remove(key);
            budget.release(peer, message.data.length);
            acceptUnreliable(peer, fragment.channel(), ch, message);
        }
        return Outcome.DONE;
    }

    Outcome unsequenced(Peer peer, Command.SendUnsequenced command) {
        if (!peer.state.acceptsData() || command.channel() >= peer.channels.length
                || command.length() > settings.maxPacketSize()) {
            return Outcome.REJECT;
        }
        if (peer.state == PeerState.DISCONNECT_LATER) {
            return Outcome.DONE;
        }
        int group = command.group();
        int index = group % PEER_UNSEQUENCED_WINDOW_SIZE;
        int g = group < peer.incomingUnsequencedGroup ? group + 0x10000 : group;
        if (g >= peer.incomingUnsequencedGroup + PEER_FREE_UNSEQUENCED_WINDOWS * PEER_UNSEQUENCED_WINDOW_SIZE) {
            return Outcome.DONE;
        }
        g &= 0xFFFF;
        if (g - index != peer.incomingUnsequencedGroup) {
            peer.incomingUnsequencedGroup = g - index;
            Arrays.fill(peer.unsequencedWindow, 0);
        } else if ((peer.unsequencedWindow[index >>> 6] & (1L << (index & 63))) != 0) {
            return Outcome.DONE;
        }
        peer.unsequencedWindow[index >>> 6] |= 1L << (index & 63);
        deliver(peer, command.channel(), command.data());
        return Outcome.DONE;
    }

    private boolean valid(Command.SendFragment fragment) {
        long total = Integer.toUnsignedLong(fragment.totalLength());
        long count = Integer.toUnsignedLong(fragment.fragmentCount());
        long number = Integer.toUnsignedLong(fragment.fragmentNumber());
        long offset = Integer.toUnsignedLong(fragment.fragmentOffset());
        return count >= 1 && count <= MAXIMUM_FRAGMENT_COUNT && number < count
                && total <= settings.maxPacketSize() && total >= count && offset < total
                && fragment.length() >= 1 && fragment.length() <= total - offset;
    }

    static Window window(ChannelState ch, int seq) {
        int window = seq / PEER_RELIABLE_WINDOW_SIZE;
        int current = ch.incomingReliableSeq / PEER_RELIABLE_WINDOW_SIZE;
        if (seq < ch.incomingReliableSeq) {
            window += PEER_RELIABLE_WINDOWS;
        }
        if (window >= current && window < current + PEER_FREE_RELIABLE_WINDOWS - 1) {
            return Window.INSIDE;
        }
        if (window == current + PEER_FREE_RELIABLE_WINDOWS - 1 || window == current + PEER_FREE_RELIABLE_WINDOWS) {
            return Window.AHEAD;
        }
        return Window.STALE;
    }

    private static Outcome notYetIfAhead(ChannelState ch, int seq) {
        return window(ch, seq) == Window.AHEAD ? Outcome.NOT_YET : Outcome.DONE;
    }

    private boolean admit(Peer peer, ChannelState ch, int bytes) {
        if (!budget.reserve(peer, bytes)) {
            endings.violation(peer, 0, "more than " + settings.maxWaitingBytes() + " bytes waiting for reassembly or order ("
                    + peer.waitingBytes + " waiting, +" + bytes + "; channel holds " + ch.incomingReliable.size()
                    + " reliable, " + ch.heldUnreliable.size() + " held unreliable, " + ch.unreliableFragments.size()
                    + " partial unreliable)");
            return false;
        }
        if (ch.incomingReliable.size() + ch.unreliableFragments.size() + ch.heldUnreliable.size()
                >= settings.maxOutOfOrderReliable()) {
            budget.release(peer, bytes);
            endings.violation(peer, 0, "more than " + settings.maxOutOfOrderReliable() + " messages held out of order");
            return false;
        }
        return true;
    }

    private void deliverReliable(Peer peer, int channel) {
        ChannelState ch = peer.channels[channel];
        boolean delivered = false;
        while (peer.state.acceptsData()) {
            IncomingMessage next = ch.incomingReliable.get((ch.incomingReliableSeq + 1) & 0xFFFF);
            if (next == null || !next.complete()) {
                break;
            }
            ch.incomingReliable.remove(next.reliableSeq);
            ch.incomingReliableSeq = (next.reliableSeq + next.fragmentCount - 1) & 0xFFFF;
            budget.release(peer, next.data.length);
            delivered = true;
            deliver(peer, channel, next.data);
        }
        if (delivered && peer.state.acceptsData()) {
            ch.incomingUnreliableSeq = 0;
            releaseHeldUnreliable(peer, channel, ch);
        }
    }

    private void acceptUnreliable(Peer peer, int channel, ChannelState ch, IncomingMessage message) {
        int cur = ch.incomingReliableSeq;
        if (message.reliableSeq == cur) {
            if (message.unreliableSeq <= ch.incomingUnreliableSeq) {
                return;
            }
            ch.incomingUnreliableSeq = message.unreliableSeq;
            discardStaleFragments(peer, ch);
            deliver(peer, channel, message.data);
            return;
        }
        if (window(ch, message.reliableSeq) != Window.INSIDE) {
            return;
        }
        for (IncomingMessage held : ch.heldUnreliable) {
            if (held.reliableSeq == message.reliableSeq && held.unreliableSeq == message.unreliableSeq) {
                return;
            }
        }
        if (!admit(peer, ch, message.data.length)) {
            return;
        }
        ch.heldUnreliable.add(message);
    }

    private void releaseHeldUnreliable(Peer peer, int channel, ChannelState ch) {
        if (ch.heldUnreliable.isEmpty() && ch.unreliableFragments.isEmpty()) {
            return;
        }
        int cur = ch.incomingReliableSeq;
        List<IncomingMessage> ready = new ArrayList<>();
        for (Iterator<IncomingMessage> it = ch.heldUnreliable.iterator(); it.hasNext(); ) {
            IncomingMessage held = it.next();
            if (held.reliableSeq == cur) {
                ready.add(held);
                it.remove();
                budget.release(peer, held.data.length);
            } else if (window(ch, held.reliableSeq) != Window.INSIDE) {
                it.remove();
                budget.release(peer, held.data.length);
            }
        }
        discardStaleFragments(peer, ch);
        ready.sort((a, b) -> Integer.compare(a.unreliableSeq, b.unreliableSeq));
        for (IncomingMessage message : ready) {
            if (!peer.state.acceptsData()) {
                return;
            }
            if (message.unreliableSeq > ch.incomingUnreliableSeq) {
                ch.incomingUnreliableSeq = message.unreliableSeq;
                deliver(peer, channel, message.data);
            }
        }
    }

    private void discardStaleFragments(Peer peer, ChannelState ch) {
        if (ch.unreliableFragments.isEmpty()) {
            return;
        }
        int cur = ch.incomingReliableSeq;
        for (Iterator<IncomingMessage> it = ch.unreliableFragments.values().iterator(); it.hasNext(); ) {
            IncomingMessage partial = it.next();
            boolean stale = partial.reliableSeq == cur ? partial.unreliableSeq <= ch.incomingUnreliableSeq
                    : window(ch, partial.reliableSeq) != Window.INSIDE;
            if (stale) {
                it.remove();
                budget.release(peer, partial.data.length);
            }
        }
    }

    private void deliver(Peer peer, int channel, byte[] data) {
        try {
            listener.onReceive(peer.id, channel, data);
        } catch (RuntimeException e) {
            log.error("receive listener failed for {}", peer.address, e);
        }
    }
}
