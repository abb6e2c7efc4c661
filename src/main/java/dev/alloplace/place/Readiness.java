package dev.alloplace.place;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.time.Duration;

/**
 * When the place loop counts as behind, so that {@code /readyz} (and an orchestrator's health
 * pings) stop sending it players until it has caught up.
 *
 * @param maxHeartbeatLateness how late the next heartbeat may be
 * @param maxBacklogMessages messages all agents together may have waiting for the loop
 */
public record Readiness(Duration maxHeartbeatLateness, int maxBacklogMessages) {

    public Readiness {
        if (maxHeartbeatLateness.isNegative() || maxHeartbeatLateness.isZero() || maxBacklogMessages < 1) {
            throw new IllegalArgumentException("readiness bounds must be positive");
        }
    }

    /** The {@code place.ready_*} settings. */
    public static Readiness from(Config config) {
        return new Readiness(Duration.ofMillis(config.get(Settings.READY_MAX_LATENESS_MS)),
                config.get(Settings.READY_MAX_BACKLOG));
    }
}
