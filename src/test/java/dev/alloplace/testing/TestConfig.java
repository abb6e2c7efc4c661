package dev.alloplace.testing;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigException;
import dev.alloplace.config.ConfigLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/** Configurations for unit tests: the catalog's defaults with a few settings given as text, as an operator would. */
public final class TestConfig {

    private TestConfig() {
    }

    /** {@code keysAndValues}: a setting's key, then its value, and so on. */
    public static Config of(Object... keysAndValues) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            flags.put(keysAndValues[i].toString(), keysAndValues[i + 1].toString());
        }
        try {
            return ConfigLoader.load(flags, Map.of(), null);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
