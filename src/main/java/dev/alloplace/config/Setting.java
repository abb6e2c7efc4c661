package dev.alloplace.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One configurable value: where it can be set (YAML key, environment variable, command-line
 * flag), what it accepts, its default, and what it does. The catalog in {@link Settings} is
 * the single source for parsing, validation, precedence and the configuration docs.
 *
 * @param key dotted YAML path, e.g. {@code server.port}
 * @param env environment variable, e.g. {@code ALLOPLACE_PORT}
 * @param flag long command-line flag without dashes, or empty when the setting has none
 * @param defaultText the built-in default, in the same text form a user would write
 */
public record Setting<T>(
        String key, String env, Optional<String> flag, SettingType<T> type, String defaultText,
        String description) {

    public Setting {
        Objects.requireNonNull(key);
        Objects.requireNonNull(env);
        Objects.requireNonNull(type);
        Objects.requireNonNull(defaultText);
        type.parse(defaultText);
    }

    public T parse(String text, String source) throws ConfigException {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid value for " + key + " (from " + source + "): " + e.getMessage());
        }
    }

    public T defaultValue() {
        return type.parse(defaultText);
    }
}
