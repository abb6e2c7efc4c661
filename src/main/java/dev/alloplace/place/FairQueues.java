package dev.alloplace.place;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Fair shares of the place thread. Each agent's messages wait in its own {@link AgentQueue};
 * a turn of the loop takes up to a slice of work units from each queue in turn, and while others
 * are waiting an agent spends at most its budget per heartbeat, so one agent's flood or one costly
 * request delays that agent and nobody else. The sharing is work-conserving: when no agent within
 * its budget has anything waiting, the agents over theirs get the spare time, in turn, and owe
 * nothing for it, up to {@code place.agent_spare_work_per_heartbeat} (an app building a scene in a
 * quiet place goes as fast as the place can). What an agent owes the world's write rate
 * ({@link WriteRate}) holds it back in any case. The turn stops as soon as the heartbeat is due. Queues over their bounds for longer than the grace (or
 * over twice a bound at all) get their agent disconnected.
 */
final class FairQueues {

    /** What happens to each message, and to an agent whose queue broke its bounds. */
    interface Handler {
        void handle(Agent agent, LoopEvent.Received message);

        /** The connection ended and everything it sent before has been handled. */
        void drained(Agent agent);

        /** The agent's backlog is over its bounds: tell it why and let it go. */
        void overloaded(Agent agent, String why);
    }

    private final FairShare share;
    private final Handler handler;
    /** Agents with work and budget left. */
    private final ArrayDeque<Agent> ring = new ArrayDeque<>();
    /** Agents with work and no budget left: served only while the ring is empty. */
    private final ArrayDeque<Agent> spare = new ArrayDeque<>();
    private long messages;
    private long bytes;

    FairQueues(FairShare share, Handler handler) {
        this.share = share;
        this.handler = handler;
    }

    AgentQueue newQueue() {
        return new AgentQueue(share.unitsPerHeartbeat(), share.spareUnitsPerHeartbeat());
    }

    /** What a message costs before it is handled: one unit, plus one per KiB. */
    static long cost(byte[] payload) {
        return 1 + (payload.length >> 10);
    }

    void add(Agent agent, LoopEvent.Received message) {
        AgentQueue queue = agent.queue();
        queue.add(message);
        messages++;
        bytes += message.payload().length;
        if (queue.messages.size() > 2L * share.backlogMessages() || queue.bytes > 2 * share.backlogBytes()) {
            handler.overloaded(agent, describe(queue) + ", twice what an agent may have waiting");
            return;
        }
        schedule(agent);
    }

    /** Charges work done for the agent beyond the cost of its messages (it is paid from its budget). */
    void charge(Agent agent, long units) {
        agent.queue().credit -= units;
    }

    /**
     * The agent's next messages wait, in order, until {@link #release}: what it sent last is being
     * finished elsewhere (its announce's signature is checked off the place thread).
     */
    void hold(Agent agent) {
        agent.queue().held = true;
    }

    void release(Agent agent) {
        agent.queue().held = false;
        schedule(agent);
    }

    /** The connection ended: the agent leaves once what it sent before is handled. */
    void close(Agent agent) {
        AgentQueue queue = agent.queue();
        queue.closing = true;
        if (queue.isEmpty()) {
            handler.drained(agent);
        }
    }

    /** Forgets what the agent has waiting (it is being disconnected by the place). */
    void drop(Agent agent) {
        AgentQueue queue = agent.queue();
        messages -= queue.messages.size();
        bytes -= queue.bytes;
        queue.clear();
    }

    /**
     * One round: a slice from each queue with work and credit, in turn; then, if none of them has
     * anything left, a slice from each queue over its budget; until {@code stop} says the heartbeat
     * is due. The first slice is taken in any case, so that interactions still move on a place
     * whose heartbeats overrun their period. Returns the number of messages handled.
     */
    int round(BooleanSupplier stop) {
        int handled = 0;
        for (int turns = ring.size(); turns > 0 && !ring.isEmpty() && (handled == 0 || !stop.getAsBoolean()); turns--) {
            handled += turn(ring.pollFirst(), false);
        }
        for (int turns = spare.size(); turns > 0 && ring.isEmpty() && !spare.isEmpty()
                && (handled == 0 || !stop.getAsBoolean()); turns--) {
            handled += turn(spare.pollFirst(), true);
        }
        return handled;
    }

    /** A slice of {@code agent}'s queue; on spare time what it costs comes from its spare units, not its credit. */
    private int turn(Agent agent, boolean spareTime) {
        AgentQueue queue = agent.queue();
        queue.inRing = false;
        int handled = 0;
        long slice = share.sliceUnits();
        while (slice > 0 && (spareTime ? queue.spare > 0 : queue.credit > 0) && queue.writeDebt <= 0 && !queue.isEmpty()
                && !queue.held) {
            LoopEvent.Received message = queue.take();
            messages--;
            bytes -= message.payload().length;
            long credit = queue.credit;
            queue.credit -= cost(message.payload());
            handler.handle(agent, message);
            long spent = credit - queue.credit;
            slice -= spent;
            if (spareTime) {
                queue.credit = credit;
                queue.spare -= spent;
            }
            handled++;
        }
        if (queue.isEmpty() && queue.closing) {
            handler.drained(agent);
        } else {
            schedule(agent);
        }
        return handled;
    }

    /** Each heartbeat: a new budget for every agent (debts are paid first), and the backlog rules. */
    void heartbeat(long now, Collection<Agent> agents) {
        // Everyone is scheduled again below, into the ring the new budget puts them in.
        for (Agent agent; (agent = spare.pollFirst()) != null; ) {
            agent.queue().inRing = false;
        }
        Agent biggest = null;
        for (Agent agent : agents) {
            AgentQueue queue = agent.queue();
            queue.credit = Math.min(share.unitsPerHeartbeat(), queue.credit + share.unitsPerHeartbeat());
            queue.spare = share.spareUnitsPerHeartbeat();
            if (queue.messages.size() > share.backlogMessages() || queue.bytes > share.backlogBytes()) {
                if (queue.overSinceNanos < 0) {
                    queue.overSinceNanos = now;
                }
            } else {
                queue.overSinceNanos = -1;
            }
            if (biggest == null || queue.bytes > biggest.queue().bytes) {
                biggest = agent;
            }
        }
        for (Agent agent : agents.toArray(Agent[]::new)) {
            AgentQueue queue = agent.queue();
            if (queue.overSinceNanos >= 0 && now - queue.overSinceNanos >= share.backlogGrace().toNanos()) {
                handler.overloaded(agent, describe(queue) + " for longer than " + share.backlogGrace().toMillis() + " ms");
            } else {
                schedule(agent);
            }
        }
        if (bytes > share.placeBacklogBytes() && biggest != null && !biggest.queue().isEmpty()) {
            handler.overloaded(biggest, describe(biggest.queue()) + ", the most of all while the place's queues hold "
                    + bytes + " bytes");
        }
    }

    /** Messages and bytes waiting in every agent's queue. */
    long messages() {
        return messages;
    }

    long bytes() {
        return bytes;
    }

    /** Puts an agent with work (and nothing owed to the write rate) in the ring its budget says. */
    void schedule(Agent agent) {
        AgentQueue queue = agent.queue();
        if (!queue.inRing && queue.writeDebt <= 0 && (queue.credit > 0 || queue.spare > 0) && !queue.isEmpty()
                && !queue.held && !agent.leaving()) {
            queue.inRing = true;
            (queue.credit > 0 ? ring : spare).addLast(agent);
        }
    }

    private String describe(AgentQueue queue) {
        return "kept " + queue.messages.size() + " messages (" + queue.bytes + " bytes) waiting; an agent may have "
                + share.backlogMessages() + " (" + share.backlogBytes() + " bytes)";
    }
}
