package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reliable commands in flight: when each was sent and its retransmission timeout, what an
 * acknowledgement removes, which commands go out again, and when a silent peer is dead
 * (ENET.md 5.3, 6.1).
 */
final class Retransmission {

    private final EnetSettings settings;
    private final HostCounters counters;

    Retransmission(EnetSettings settings, HostCounters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    /** Records that {@code command} was put in a datagram now. */
    void sent(Peer peer, Outgoing command, long now) {
        if (command.attempts == 0) {
            command.rto = peer.roundTripTime + 4 * peer.roundTripTimeVariance;
            int channel = command.channel();
            if (channel != CONTROL_CHANNEL && channel < peer.channels.length) {
                ChannelState ch = peer.channels[channel];
                int window = command.seq() / PEER_RELIABLE_WINDOW_SIZE;
                ch.reliableWindows[window]++;
                ch.usedReliableWindows |= 1 << window;
            }
        } else {
            counters.retransmits++;
        }
        command.attempts++;
        command.sentTime = now;
        if (peer.sentReliable.isEmpty()) {
            peer.nextTimeout = now + command.rto;
        }
        peer.sentReliable.add(command);
        peer.reliableDataInTransit += command.payload();
    }

    /**
     * Takes the round-trip sample an acknowledgement carries; false when its echoed send time
     * lies in the future, which C ENet ignores (then so does the caller).
     */
    boolean sample(Peer peer, Command.Acknowledge ack, long now) {
        long sent = (now & ~0xFFFFL) | ack.receivedSentTime();
        if ((sent & 0x8000) > (now & 0x8000)) {
            sent -= 0x10000;
        }
        if (sent > now) {
            return false;
        }
        peer.sampleRoundTrip(Math.max(1, now - sent), now);
        return true;
    }

    /** Removes the acknowledged command (in flight, or queued again for retransmission); null if none. */
    Outgoing acknowledged(Peer peer, int channel, int seq) {
        Outgoing found = null;
        boolean wasInFlight = false;
        for (Iterator<Outgoing> it = peer.sentReliable.iterator(); it.hasNext(); ) {
            Outgoing candidate = it.next();
            if (candidate.channel() == channel && candidate.seq() == seq) {
                it.remove();
                found = candidate;
                wasInFlight = true;
                break;
            }
        }
        if (found == null) {
            for (Iterator<Outgoing> it = peer.outgoing.iterator(); it.hasNext(); ) {
                Outgoing candidate = it.next();
                if (candidate.attempts > 0 && candidate.reliable && candidate.channel() == channel
                        && candidate.seq() == seq) {
                    it.remove();
                    found = candidate;
                    break;
                }
            }
        }
        if (found == null) {
            return null;
        }
        if (channel != CONTROL_CHANNEL && channel < peer.channels.length) {
            ChannelState ch = peer.channels[channel];
            int window = seq / PEER_RELIABLE_WINDOW_SIZE;
            if (ch.reliableWindows[window] > 0 && --ch.reliableWindows[window] == 0) {
                ch.usedReliableWindows &= ~(1 << window);
            }
        }
        if (wasInFlight) {
            peer.reliableDataInTransit -= found.payload();
        }
        peer.queuedBytes -= found.payload();
        peer.nextTimeout = peer.sentReliable.isEmpty() ? 0
                : peer.sentReliable.get(0).sentTime + peer.sentReliable.get(0).rto;
        return found;
    }

    /** True when it is time to look at {@link #expire} for this peer. */
    boolean due(Peer peer, long now) {
        return !peer.sentReliable.isEmpty() && now >= peer.nextTimeout;
    }

    /**
     * Queues every command whose timeout passed for sending again, in its original order;
     * returns true when the peer is to be declared dead instead (the caller ends it).
     */
    boolean expire(Peer peer, long now) {
        List<Outgoing> expired = new ArrayList<>();
        for (Iterator<Outgoing> it = peer.sentReliable.iterator(); it.hasNext(); ) {
            Outgoing command = it.next();
            if (now - command.sentTime < command.rto) {
                continue;
            }
            if (peer.earliestTimeout == 0 || command.sentTime < peer.earliestTimeout) {
                peer.earliestTimeout = command.sentTime;
            }
            long elapsed = now - peer.earliestTimeout;
            long doublings = command.attempts >= 40 ? Long.MAX_VALUE : 1L << (command.attempts - 1);
            if (elapsed >= settings.timeoutMaximumMillis()
                    || doublings >= settings.timeoutLimit() && elapsed >= settings.timeoutMinimumMillis()) {
                return true;
            }
            it.remove();
            peer.reliableDataInTransit -= command.payload();
            peer.packetsLost++;
            command.rto = Math.min(command.rto * 2, Math.max(command.rto, maximumTimeout()));
            expired.add(command);
        }
        for (int i = expired.size() - 1; i >= 0; i--) {
            peer.outgoing.addFirst(expired.get(i));
        }
        peer.nextTimeout = peer.sentReliable.isEmpty() ? now
                : peer.sentReliable.get(0).sentTime + peer.sentReliable.get(0).rto;
        return false;
    }

    /**
     * The retransmission timeout stops doubling here (C ENet's doubles without bound). A timeout
     * that grows past the dead-peer minimum would declare a live peer on a lossy link dead the
     * moment one command needs eight sends, since only the time since that command's last send
     * counts once other acknowledgements arrive.
     */
    private long maximumTimeout() {
        return settings.timeoutMinimumMillis() / 4;
    }
}
