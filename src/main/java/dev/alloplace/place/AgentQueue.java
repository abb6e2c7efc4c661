package dev.alloplace.place;

import java.util.ArrayDeque;

/**
 * One agent's messages waiting for the place thread, with its budget: the work units it may
 * still spend this heartbeat (negative when a message cost more than was left while others were
 * waiting: the debt is paid from the next heartbeats), and what it owes the world's write rate.
 * Owned by the place thread; see {@link FairQueues}.
 */
final class AgentQueue {

    final ArrayDeque<LoopEvent.Received> messages = new ArrayDeque<>();
    long bytes;
    long credit;
    /** Work units it may still spend this heartbeat on spare time, once its credit is spent. */
    long spare;
    /**
     * Bytes this agent wrote into the world beyond what the world's write rate had to spare; it
     * waits, whoever else is waiting or not, until its share of the rate has paid them.
     */
    long writeDebt;
    /** In one of the rings of queues with work: within budget, or over it and waiting for spare time. */
    boolean inRing;
    /** When the queue went over a soft bound, or -1 while under both. */
    long overSinceNanos = -1;
    /** The connection ended: what is queued is still handled, then the agent leaves. */
    boolean closing;
    /** Waits for work done elsewhere (an announce's signature being checked): nothing is taken meanwhile. */
    boolean held;
    /**
     * The latest intent of an announced agent that arrived since the loop last read intents:
     * intents are state, so of those that arrive together only the latest is read.
     */
    byte[] latestIntent;

    AgentQueue(long credit, long spare) {
        this.credit = credit;
        this.spare = spare;
    }

    void add(LoopEvent.Received message) {
        messages.add(message);
        bytes += message.payload().length;
    }

    LoopEvent.Received take() {
        LoopEvent.Received message = messages.poll();
        bytes -= message.payload().length;
        return message;
    }

    void clear() {
        messages.clear();
        bytes = 0;
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }
}
