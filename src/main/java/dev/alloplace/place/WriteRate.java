package dev.alloplace.place;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rate at which agents may write into the world, as a token bucket: it refills at
 * {@code place.world_write_bytes_per_second} and holds up to a burst of an eighth of
 * {@code place.max_world_bytes}, so an app may build a scene of ten thousand small entities at
 * once, while a steady stream is held to the rate (everything written goes to every client).
 * What a write takes beyond the tokens left becomes the writer's debt; an agent in debt waits,
 * and each heartbeat's refill pays the debts first, in equal shares among the indebted (so those
 * writing at once share the rate), before the bucket fills again. Owned by the place thread.
 */
final class WriteRate {

    private final double bytesPerNano;
    private final long burstBytes;
    private double tokens;
    private long lastRefillNanos;

    WriteRate(long bytesPerSecond, long burstBytes, long nowNanos) {
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.burstBytes = Math.max(1, burstBytes);
        this.tokens = this.burstBytes;
        this.lastRefillNanos = nowNanos;
    }

    /** {@code agent} wrote {@code bytes}: from the bucket, and what the bucket lacks as its debt. */
    void written(Agent agent, long bytes) {
        double fromBucket = Math.min(tokens, bytes);
        tokens -= fromBucket;
        agent.queue().writeDebt += (long) Math.ceil(bytes - fromBucket);
    }

    /** Each heartbeat: what the rate gave since the last one pays the debts, then refills the bucket. */
    void heartbeat(long nowNanos, Collection<Agent> agents) {
        double refill = Math.max(0, nowNanos - lastRefillNanos) * bytesPerNano;
        lastRefillNanos = nowNanos;
        List<AgentQueue> indebted = new ArrayList<>();
        for (Agent agent : agents) {
            if (agent.queue().writeDebt > 0) {
                indebted.add(agent.queue());
            }
        }
        while (refill >= 1 && !indebted.isEmpty()) {
            double share = refill / indebted.size();
            for (int i = indebted.size() - 1; i >= 0; i--) {
                AgentQueue queue = indebted.get(i);
                long paid = Math.min(queue.writeDebt, (long) Math.ceil(share));
                queue.writeDebt -= paid;
                refill -= paid;
                if (queue.writeDebt <= 0) {
                    indebted.remove(i);
                }
            }
        }
        tokens = Math.min(burstBytes, tokens + Math.max(0, refill));
    }

    /** Bytes that may be written now without waiting. */
    long available() {
        return (long) tokens;
    }
}
