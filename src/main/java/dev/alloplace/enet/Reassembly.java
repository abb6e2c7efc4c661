package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import dev.alloplace.transport.TransportListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive side of a connection's channels: the reliable window, ordering and duplicate
 * detection, unreliable sequencing, the unsequenced window, reassembly of fragments, and handing
 * each whole message to the application in order (ENET.md 5.4, 6.3, 7). What waits for an
 * earlier message or for more fragments is charged to the {@link ReceiveBudget} as it arrives
 * (never by what a header claims), and what waits too long is dropped.
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
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final EnetSettings settings;
    private final ReceiveBudget budget;
    private final Endings endings;
    private final TransportListener listener;
    private long lastSweep;

    Reassembly(EnetSettings settings, ReceiveBudget budget, Endings endings, TransportListener listener) {
        this.settings = settings;
        this.budget = budget;
        this.endings = endings;
        this.listener = listener;
    }

    Outcome reliable(Peer peer, Command.SendReliable command, long now) {
        Outcome unfit = unfit(peer, command.channel(), command.length() <= settings.maxPacketSize());
        if (unfit != null) {
            return unfit;
        }
        ChannelState ch = peer.channels[command.channel()];
        Window window = window(ch, command.seq());
        if (window != Window.INSIDE || command.seq() == ch.incomingReliableSeq
                || ch.incomingReliable.containsKey(command.seq())) {
            return window == Window.AHEAD ? Outcome.NOT_YET : Outcome.DONE;
        }
        if (!admitMessage(peer, ch, command.length())) {
            return Outcome.REJECT;
        }
        ch.incomingReliable.put(command.seq(), IncomingMessage.whole(true, command.seq(), 0, command.data(), now));
        deliverReliable(peer, command.channel());
        return Outcome.DONE;
    }

    Outcome reliableFragment(Peer peer, Command.SendFragment fragment, long now) {
        Outcome unfit = unfit(peer, fragment.channel(), valid(fragment));
        if (unfit != null) {
            return unfit;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int start = fragment.startSeq();
        Window window = window(ch, start);
        if (window != Window.INSIDE || start == ch.incomingReliableSeq) {
            return window == Window.STALE ? Outcome.DONE : notYetIfAhead(ch, fragment.seq());
        }
        IncomingMessage message = reassemble(peer, ch, ch.incomingReliable, start, true, start, 0, fragment, now);
        if (message == null) {
            return Outcome.REJECT;
        }
        if (message.complete()) {
            deliverReliable(peer, fragment.channel());
        }
        return notYetIfAhead(ch, fragment.seq());
    }

    Outcome unreliable(Peer peer, Command.SendUnreliable command, long now) {
        Outcome unfit = unfit(peer, command.channel(), command.length() <= settings.maxPacketSize());
        if (unfit != null) {
            return unfit;
        }
        ChannelState ch = peer.channels[command.channel()];
        acceptUnreliable(peer, command.channel(), ch,
                IncomingMessage.whole(false, command.seq(), command.unreliableSeq(), command.data(), now));
        return Outcome.DONE;
    }

    Outcome unreliableFragment(Peer peer, Command.SendFragment fragment, long now) {
        Outcome unfit = unfit(peer, fragment.channel(), valid(fragment));
        if (unfit != null) {
            return unfit;
        }
        ChannelState ch = peer.channels[fragment.channel()];
        int reliableSeq = fragment.seq();
        int unreliableSeq = fragment.startSeq();
        if (window(ch, reliableSeq) != Window.INSIDE
                || reliableSeq == ch.incomingReliableSeq && unreliableSeq <= ch.incomingUnreliableSeq) {
            return Outcome.DONE;
        }
        int key = reliableSeq << 16 | unreliableSeq;
        IncomingMessage message = reassemble(peer, ch, ch.unreliableFragments, key, false, reliableSeq, unreliableSeq,
                fragment, now);
        if (message == null) {
            return Outcome.REJECT;
        }
        if (message.complete()) {
            ch.unreliableFragments.remove(key);
            budget.release(peer, message.charge());
            acceptUnreliable(peer, fragment.channel(), ch, message);
        }
        return Outcome.DONE;
    }

    Outcome unsequenced(Peer peer, Command.SendUnsequenced command) {
        Outcome unfit = unfit(peer, command.channel(), command.length() <= settings.maxPacketSize());
        if (unfit != null) {
            return unfit;
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

    /**
     * Why a data command cannot be taken now: REJECT when the peer takes no data, the channel
     * does not exist or the command is malformed; DONE (ignored) while the peer is disconnecting
     * later, as C ENet does; null when it can.
     */
    private static Outcome unfit(Peer peer, int channel, boolean wellFormed) {
        if (!peer.state.acceptsData() || channel >= peer.channels.length || !wellFormed) {
            return Outcome.REJECT;
        }
        return peer.state == PeerState.DISCONNECT_LATER ? Outcome.DONE : null;
    }

    /**
     * The message {@code fragment} belongs to in {@code waiting} (opened by its first fragment to
     * arrive), with the fragment kept; null when it was refused (its peer is then gone, or the
     * fragment disagrees with the message on count or length).
     */
    private IncomingMessage reassemble(Peer peer, ChannelState ch, Map<Integer, IncomingMessage> waiting, int key,
            boolean reliable, int reliableSeq, int unreliableSeq, Command.SendFragment fragment, long now) {
        IncomingMessage message = waiting.get(key);
        if (message == null) {
            if (!admitMessage(peer, ch, IncomingMessage.ASSEMBLY_OVERHEAD)) {
                return null;
            }
            message = IncomingMessage.partial(reliable, reliableSeq, unreliableSeq, fragment.fragmentCount(),
                    fragment.totalLength(), now);
            waiting.put(key, message);
        } else if (!message.matches(fragment.fragmentCount(), fragment.totalLength())) {
            return null;
        }
        return add(peer, ch, message, fragment, now) ? message : null;
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

    /** Takes a new message into the channel's waiting room: counted, and charged its bookkeeping plus {@code bytes}. */
    private boolean admitMessage(Peer peer, ChannelState ch, int bytes) {
        if (ch.incomingReliable.size() + ch.unreliableFragments.size() + ch.heldUnreliable.size()
                >= settings.maxOutOfOrderReliable()) {
            endings.violation(peer, DisconnectReasons.TOO_MANY_HELD_MESSAGES,
                    "more than " + settings.maxOutOfOrderReliable() + " messages held out of order");
            return false;
        }
        return reserve(peer, ch, IncomingMessage.MESSAGE_OVERHEAD + (long) bytes);
    }

    /** Keeps one fragment, charging exactly what it adds; false when the peer was dropped for it. */
    private boolean add(Peer peer, ChannelState ch, IncomingMessage message, Command.SendFragment fragment, long now) {
        long reserved = IncomingMessage.growth(fragment.length());
        if (!reserve(peer, ch, reserved)) {
            return false;
        }
        long before = message.charge();
        IncomingMessage.Added added = message.add(fragment.fragmentNumber(), fragment.fragmentOffset(), fragment.data(),
                fragment.length(), now);
        budget.release(peer, reserved - (message.charge() - before));
        if (added == IncomingMessage.Added.INCONSISTENT) {
            endings.violation(peer, DisconnectReasons.MALFORMED_FRAGMENTS, "fragments of a message on channel "
                    + fragment.channel() + " do not add up to its claimed " + message.totalLength + " bytes");
            return false;
        }
        return true;
    }

    /**
     * Charges {@code bytes} to the peer. Over the peer's cap the peer goes; over the host's cap
     * whoever holds the most goes (the sender of most of what waits), until this fits or the
     * peer itself is the largest holder.
     */
    private boolean reserve(Peer peer, ChannelState ch, long bytes) {
        while (true) {
            switch (budget.reserve(peer, bytes)) {
                case OK -> {
                    return true;
                }
                case PEER_FULL -> {
                    endings.violation(peer, DisconnectReasons.REASSEMBLY_LIMIT, "more than " + settings.maxWaitingBytes()
                            + " bytes waiting for reassembly or order (" + peer.waitingBytes + " waiting, +" + bytes
                            + "; channel holds " + ch.incomingReliable.size() + " reliable, " + ch.heldUnreliable.size()
                            + " held unreliable, " + ch.unreliableFragments.size() + " partial unreliable)");
                    return false;
                }
                case HOST_FULL -> {
                    Peer largest = budget.largestHolder();
                    boolean self = largest == null || largest == peer || largest.waitingBytes <= peer.waitingBytes;
                    Peer victim = self ? peer : largest;
                    endings.violation(victim, DisconnectReasons.REASSEMBLY_MEMORY_FULL, "the host has "
                            + budget.total() + " of " + settings.maxWaitingBytesTotal() + " bytes waiting for reassembly;"
                            + " this peer holds the most (" + victim.waitingBytes + ")");
                    if (self) {
                        return false;
                    }
                }
            }
        }
    }

    /** True once a second: time to look for messages that waited too long. */
    boolean sweepDue(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_MILLIS) {
            return false;
        }
        lastSweep = now;
        return true;
    }

    /**
     * Drops unreliable messages that waited longer than the reassembly timeout; a reliable one
     * cannot be skipped, so its peer is disconnected instead. Returns true when the peer went.
     */
    boolean expire(Peer peer, long now) {
        long limit = settings.reassemblyTimeoutMillis();
        for (int channel = 0; channel < peer.channels.length; channel++) {
            ChannelState ch = peer.channels[channel];
            for (IncomingMessage waiting : ch.incomingReliable.values()) {
                if (now - waiting.lastProgress >= limit) {
                    endings.violation(peer, DisconnectReasons.REASSEMBLY_STALLED, "reliable message " + waiting.reliableSeq
                            + " on channel " + channel + " made no progress for " + limit + " ms");
                    return true;
                }
            }
            for (Iterator<IncomingMessage> it = ch.unreliableFragments.values().iterator(); it.hasNext(); ) {
                IncomingMessage partial = it.next();
                if (now - partial.lastProgress >= limit) {
                    it.remove();
                    budget.release(peer, partial.charge());
                }
            }
            for (Iterator<IncomingMessage> it = ch.heldUnreliable.iterator(); it.hasNext(); ) {
                IncomingMessage held = it.next();
                if (now - held.lastProgress >= limit) {
                    it.remove();
                    budget.release(peer, held.charge());
                }
            }
        }
        return false;
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
            budget.release(peer, next.charge());
            delivered = true;
            deliver(peer, channel, next.data());
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
            deliver(peer, channel, message.data());
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
        if (!admitMessage(peer, ch, message.data().length)) {
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
                budget.release(peer, held.charge());
            } else if (window(ch, held.reliableSeq) != Window.INSIDE) {
                it.remove();
                budget.release(peer, held.charge());
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
                deliver(peer, channel, message.data());
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
                budget.release(peer, partial.charge());
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
