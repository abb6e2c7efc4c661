package dev.alloplace.config;

import java.util.List;
import java.util.Map;

/**
 * The resolved value of every setting, with where each one came from, and what the operator
 * should hear about at startup: environment variables that name no setting, and file values
 * that a variable or flag overrides. Immutable.
 */
public final class Config {

    /** Where a value came from, in increasing precedence. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, FLAG }

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, Source> sources;
    private final List<String> unknownEnvironment;
    private final List<String> overriddenFileValues;

    Config(Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources, List<String> unknownEnvironment,
            List<String> overriddenFileValues) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.unknownEnvironment = List.copyOf(unknownEnvironment);
        this.overriddenFileValues = List.copyOf(overriddenFileValues);
    }

    /**
     * One sentence per {@code ALLOPLACE_*} variable that is neither a setting nor another name
     * alloplace reads, with the nearest known name when one is close (a typo).
     */
    public List<String> unknownEnvironment() {
        return unknownEnvironment;
    }

    /** One sentence per setting the config file gives but a flag or variable overrides. */
    public List<String> overriddenFileValues() {
        return overriddenFileValues;
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

    /**
     * All defaults; what a server started without any configuration uses, and where every
     * package's {@code defaults()} comes from.
     */
    public static Config defaults() {
        return Defaults.PLACE;
    }

    /** Resolved once, on first use: the catalog's defaults never change. */
    private static final class Defaults {
        static final Config PLACE = load();

        private static Config load() {
            try {
                return ConfigLoader.load(Map.of(), Map.of(), null);
            } catch (ConfigException e) {
                throw new IllegalStateException("built-in defaults are invalid", e);
            }
        }
    }
}
