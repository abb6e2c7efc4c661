package dev.alloplace.inspector;

import dev.alloplace.transport.ConnectionStats;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes per second in and out of each agent's connection, from the transport's running totals.
 * Worked out only when someone asks (the agents view), over at least a second since the last
 * sample, so that several inspectors polling at once still see whole-second rates and nothing
 * runs while no one looks. Owned by the place thread.
 */
final class AgentRates {

    private static final double MIN_WINDOW_SECONDS = 1.0;

    private final Map<String, Sample> samples = new HashMap<>();

    /** Rates of the latest whole window; NaN until one has passed since the first look. */
    record Rate(double bytesOutPerSecond, double bytesInPerSecond) {
        static final Rate UNKNOWN = new Rate(Double.NaN, Double.NaN);
    }

    private record Sample(double time, long sent, long received, Rate rate) {
    }

    Rate rate(String agentId, ConnectionStats stats, double now) {
        Sample last = samples.get(agentId);
        if (last == null) {
            samples.put(agentId, new Sample(now, stats.bytesSent(), stats.bytesReceived(), Rate.UNKNOWN));
            return Rate.UNKNOWN;
        }
        double window = now - last.time();
        if (window < MIN_WINDOW_SECONDS) {
            return last.rate();
        }
        Rate rate = new Rate((stats.bytesSent() - last.sent()) / window, (stats.bytesReceived() - last.received()) / window);
        samples.put(agentId, new Sample(now, stats.bytesSent(), stats.bytesReceived(), rate));
        return rate;
    }

    void forget(String agentId) {
        samples.remove(agentId);
    }
}
