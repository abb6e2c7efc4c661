package dev.alloplace.config;

import java.util.Map;

/**
 * The resolved value of every setting, with where each one came from. Immutable.
 */
public final class Config {

    /** Where a value came from, in increasing precedence. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, FLAG }

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, Source> sources;

    Config(Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting);
        if (v == null) {
            throw new IllegalArgumentException("unknown setting " + setting.key());
        }
        return (T) v;
    }

    public Source source(Setting<?> setting) {
        return sources.getOrDefault(setting, Source.DEFAULT);
    }

    /** All defaults; what a server started without any configuration uses. */
    public static Config defaults() {
        try {
            return ConfigLoader.load(Map.of(), Map.of(), null);
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid", e);
        }
    }
}
