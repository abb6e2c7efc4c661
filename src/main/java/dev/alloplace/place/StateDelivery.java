package dev.alloplace.place;

import dev.alloplace.state.EncodedState;
import dev.alloplace.state.World;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who gets which state message when. Each heartbeat closes a revision and sends every announced
 * client a merge from the revision it acknowledged, or the full state if it has none usable,
 * within the pacing rules: at most {@code place.max_full_states_in_flight} full states being
 * delivered place-wide and never a second one to a client while its first is on its way;
 * merges ack-clocked for clients that fall behind; a big merge to a client that has stopped
 * acknowledging sent reliably, and nothing more to that client until it has acknowledged it. A
 * newcomer gets its world right after its announce. Owned by the place thread.
 */
final class StateDelivery {

    /**
     * A client that acknowledged one of the last this many diffs sent to it is keeping up: its big
     * merges go unreliably like the rest (at 200 moving agents every merge is over 64 KiB, and
     * sending each reliably, one at a time, held them to half the heartbeat rate). One that has
     * not (it loses fragments, or falls behind) gets the next big one reliably.
     */
    private static final int KEEPING_UP_DIFFS = 3;
    /** Merges to a client keeping up go unreliably up to this many times {@code place.reliable_diff_bytes}. */
    private static final long KEEPING_UP_MAX_FACTOR = 4;
    /** A paced (slow) client still gets a diff this often. */
    private static final long DIFF_PACING_GAP_NANOS = 250_000_000L;

    private final PlaceSettings settings;
    private final World world;
    private final Transport transport;
    private final Outbox outbox;
    private final PlaceMetrics metrics;
    private final Collection<Agent> agents;
    private boolean revisionClosedSinceHeartbeat;

    StateDelivery(PlaceSettings settings, World world, Transport transport, Outbox outbox, PlaceMetrics metrics,
            Collection<Agent> agents) {
        this.settings = settings;
        this.world = world;
        this.transport = transport;
        this.outbox = outbox;
        this.metrics = metrics;
        this.agents = agents;
    }

    /** Closes the heartbeat's revision and sends what each client may get now. */
    void heartbeat(long now) {
        world.closeRevision();
        revisionClosedSinceHeartbeat = false;
        long patience = settings.setResendInterval().toNanos();
        // Who gets what is decided before anything is encoded: a full state only in the heartbeat
        // that sends it, never again while the previous one is still on its way (reliable delivery
        // will finish it; a second copy would only queue behind it and double the load), and only
        // while fewer than the limit are being delivered place-wide.
        int setsInFlight = 0;
        Set<Long> bases = new HashSet<>();
        List<Agent> mergeable = new ArrayList<>();
        List<Agent> awaitingWorld = new ArrayList<>();
        for (Agent agent : agents) {
            if (!receivesState(agent)) {
                continue;
            }
            DeliveryState delivery = agent.delivery();
            if (!world.needsFullState(delivery.ackRevision())) {
                // A client with a big merge on its way gets nothing more until it has it: a real
                // client handles only the last of several diffs that arrive together.
                if (!reliableDiffPending(agent, now, patience)) {
                    bases.add(delivery.ackRevision());
                    mergeable.add(agent);
                }
            } else if (fullStatePending(agent, now, patience)) {
                setsInFlight++;
            } else {
                awaitingWorld.add(agent);
            }
        }
        world.preparePatches(bases);
        for (Agent agent : awaitingWorld) {
            if (setsInFlight++ >= settings.maxFullStatesInFlight()) {
                break;
            }
            send(agent, world.stateFor(agent.ackRevision()), now);
        }
        for (Agent agent : mergeable) {
            if (agent.delivery().mayGetDiff(now, settings.maxUnacknowledgedDiffs(), DIFF_PACING_GAP_NANOS)) {
                send(agent, world.stateFor(agent.ackRevision()), now);
            }
        }
    }

    /**
     * The client's intent just acknowledged the big merge it was waiting for: it gets what
     * happened since at once, not at the next heartbeat, so that a big merge costs its receiver
     * as few heartbeats as its delivery takes.
     */
    void acknowledged(Agent agent, long now) {
        long ack = agent.ackRevision();
        if (receivesState(agent) && ack != world.revision() && !world.needsFullState(ack)
                && agent.delivery().mayGetDiff(now, settings.maxUnacknowledgedDiffs(), DIFF_PACING_GAP_NANOS)) {
            send(agent, world.stateFor(ack), now);
        }
    }

    /**
     * Too big to risk as unreliable fragments: over {@code place.reliable_diff_bytes} to a client
     * that is not keeping up, and over four times that to anyone (a burst of hundreds of
     * unreliable fragments is likely to lose one on the way, and all of them with it).
     */
    private boolean reliable(EncodedState diff, boolean keepingUp) {
        long length = diff.json().length;
        long threshold = settings.reliableDiffBytes();
        return length > threshold && (!keepingUp || length > KEEPING_UP_MAX_FACTOR * threshold);
    }

    /**
     * A newcomer gets the world right after its announce answer rather than at the next
     * heartbeat (up to a heartbeat later). A full state must be exactly a closed revision, so the
     * changes made since the last heartbeat (the newcomer's avatar among them) are sealed as a
     * revision of their own first. That happens at most once between heartbeats, so a stream of
     * announces cannot push the other clients out of the history, and only while fewer than
     * {@code place.max_full_states_in_flight} full states are being delivered; otherwise the
     * heartbeat sends it as usual.
     */
    void sendWorldNow(Agent agent, long now) {
        if (revisionClosedSinceHeartbeat || fullStatesInFlight(now) >= settings.maxFullStatesInFlight()) {
            return;
        }
        if (world.hasUncommittedChanges()) {
            world.closeRevision();
            revisionClosedSinceHeartbeat = true;
        }
        send(agent, world.stateFor(agent.ackRevision()), now);
    }

    private int fullStatesInFlight(long now) {
        long patience = settings.setResendInterval().toNanos();
        int inFlight = 0;
        for (Agent other : agents) {
            if (receivesState(other) && world.needsFullState(other.ackRevision()) && fullStatePending(other, now, patience)) {
                inFlight++;
            }
        }
        return inFlight;
    }

    /**
     * Only announced agents get the world: the announce answer is not queued behind a megabyte
     * of state, and a bare ENet connection (a scanner, a flood) cannot make the place send it
     * (see docs/compatibility.md: allonet servers send to every peer).
     */
    private static boolean receivesState(Agent agent) {
        return agent.announced() && !agent.leaving();
    }

    /** A full state sent to the agent is unconfirmed within its patience, or still being delivered. */
    private boolean fullStatePending(Agent agent, long now, long patience) {
        DeliveryState delivery = agent.delivery();
        return delivery.setSentBefore() && (!delivery.mayResendSet(now, patience) || deliveryUnfinished(agent));
    }

    /** A merge sent reliably is unconfirmed, and either recent or still being delivered. */
    private boolean reliableDiffPending(Agent agent, long now, long patience) {
        DeliveryState delivery = agent.delivery();
        return delivery.reliableDiffUnconfirmed()
                && (delivery.reliableDiffRecent(now, patience) || deliveryUnfinished(agent));
    }

    /** Something sent to the agent reliably is not acknowledged by its ENet peer yet. */
    private boolean deliveryUnfinished(Agent agent) {
        return transport.stats(agent.connection()).map(stats -> stats.bytesPending() > 0).orElse(false);
    }

    private void send(Agent agent, EncodedState state, long now) {
        metrics.stateSent(state);
        DeliveryState delivery = agent.delivery();
        // A full state is big and needed whole: reliable (flow-controlled) fragments. Merges are
        // superseded by the next one, so a lost fragment should not hold the channel: unreliable,
        // unless the merge is big and the client's acknowledgements say it is losing them.
        Delivery how = Delivery.UNRELIABLE_FRAGMENTED;
        if (state.isSet()) {
            delivery.setSent(now, state.revision());
            how = Delivery.RELIABLE;
        } else {
            boolean keepingUp = delivery.diffsSinceAck() < KEEPING_UP_DIFFS;
            delivery.diffSent(now);
            if (reliable(state, keepingUp)) {
                delivery.reliableDiffSent(now, state.revision());
                how = Delivery.RELIABLE;
            }
        }
        outbox.send(agent, agent.layout().stateDiffs(), state.json(), how);
    }
}
