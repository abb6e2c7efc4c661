package dev.alloplace.inspector;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;

/**
 * What the inspector may keep and compute: bounded memory on the place side, bounded work per
 * request on the place thread.
 *
 * @param historySeconds once-a-second samples kept for the charts
 * @param events recent events kept
 * @param maxEntities most entities one map or entity-tree request computes
 */
public record InspectorSettings(int historySeconds, int events, int maxEntities) {

    public InspectorSettings {
        if (historySeconds < 1 || events < 1 || maxEntities < 1) {
            throw new IllegalArgumentException("inspector bounds must be positive");
        }
    }

    public static InspectorSettings defaults() {
        return new InspectorSettings(Settings.INSPECTOR_HISTORY_SECONDS.defaultValue(),
                Settings.INSPECTOR_EVENTS.defaultValue(), Settings.INSPECTOR_MAX_ENTITIES.defaultValue());
    }

    public static InspectorSettings from(Config config) {
        return new InspectorSettings(config.get(Settings.INSPECTOR_HISTORY_SECONDS), config.get(Settings.INSPECTOR_EVENTS),
                config.get(Settings.INSPECTOR_MAX_ENTITIES));
    }

    /** Entities a search may examine before it answers with what it found. */
    public int searchBudget() {
        return maxEntities * 10;
    }
}
