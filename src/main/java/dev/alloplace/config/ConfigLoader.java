package dev.alloplace.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves every setting with the precedence flags &gt; environment ({@code ALLOPLACE_*}) &gt;
 * YAML file &gt; built-in default. Any bad value, unknown YAML key or unreadable file is a
 * {@link ConfigException} whose message names the key and what is accepted.
 *
 * <p>An unknown {@code ALLOPLACE_*} variable is reported (see {@link Config#unknownEnvironment()})
 * but is not an error: the environment is shared with things alloplace does not control (a
 * Kubernetes Service named {@code alloplace} injects {@code ALLOPLACE_SERVICE_HOST} and friends
 * into every pod of its namespace), whereas the config file is alloplace's alone.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long MAX_FILE_BYTES = 1 << 20;

    private ConfigLoader() {
    }

    /**
     * @param flags values given on the command line, keyed by setting key
     * @param env the process environment (only {@code ALLOPLACE_*} names are looked at)
     * @param file the YAML file to read, or {@code null} for none
     */
    public static Config load(Map<String, String> flags, Map<String, String> env, Path file) throws ConfigException {
        return load(Settings.ALL, flags, env, file);
    }

    /**
     * As {@link #load(Map, Map, Path)} for another program's catalog of settings (the app
     * gateway has its own): only {@code catalog}'s keys are known.
     */
    public static Config load(List<Setting<?>> catalog, Map<String, String> flags, Map<String, String> env, Path file)
            throws ConfigException {
        Map<String, Setting<?>> known = byKey(catalog);
        Map<String, String> fromFile = file == null ? Map.of() : readYaml(file, known);
        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, Config.Source> sources = new HashMap<>();
        List<String> overridden = new ArrayList<>();
        for (Setting<?> s : catalog) {
            Object value;
            Config.Source source;
            if (flags.containsKey(s.key())) {
                value = s.parse(flags.get(s.key()), "--" + s.flag().orElse(s.key()));
                source = Config.Source.FLAG;
            } else if (env.containsKey(s.env())) {
                value = s.parse(env.get(s.env()), "environment variable " + s.env());
                source = Config.Source.ENVIRONMENT;
            } else if (fromFile.containsKey(s.key())) {
                value = s.parse(fromFile.get(s.key()), file.toString());
                source = Config.Source.FILE;
            } else {
                value = s.defaultValue();
                source = Config.Source.DEFAULT;
            }
            values.put(s, value);
            sources.put(s, source);
            if (source.compareTo(Config.Source.FILE) > 0 && fromFile.containsKey(s.key())) {
                Object inFile = s.parse(fromFile.get(s.key()), file.toString());
                if (!inFile.equals(value)) {
                    String by = source == Config.Source.FLAG ? "--" + s.flag().orElse(s.key())
                            : "environment variable " + s.env();
                    overridden.add(s.key() + ": " + by + " (" + shown(s, value) + ") overrides " + shown(s, inFile)
                            + " from " + file);
                }
            }
        }
        for (String key : flags.keySet()) {
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException("flag for unknown setting " + key);
            }
        }
        return new Config(values, sources, unknownEnvironment(catalog, env), overridden);
    }

    /** Secrets are never repeated in a log line. */
    private static String shown(Setting<?> s, Object value) {
        return s == Settings.ADMIN_TOKEN ? "a token" : "'" + value + "'";
    }

    /** Sentences for the {@code ALLOPLACE_*} names in {@code env} that alloplace does not read. */
    static List<String> unknownEnvironment(List<Setting<?>> catalog, Map<String, String> env) {
        Set<String> known = Settings.knownEnvironment(catalog);
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (!name.startsWith(Settings.ENV_PREFIX) || known.contains(name)) {
                continue;
            }
            String nearest = null;
            int best = 4;
            for (String candidate : known) {
                int d = editDistance(name, candidate);
                if (d < best) {
                    best = d;
                    nearest = candidate;
                }
            }
            out.add("environment variable " + name + " is not a setting and is ignored"
                    + (nearest == null ? "" : "; did you mean " + nearest + "?")
                    + " (docs/configuration.md lists every setting)");
        }
        return out;
    }

    /** Levenshtein distance, counting a swap of neighbours as one edit (PROT / PORT). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Reads the YAML file into dotted keys with text values; rejects unknown keys. */
    private static Map<String, String> readYaml(Path file, Map<String, Setting<?>> known) throws ConfigException {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("config file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            root = YAML.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException("config file " + file + " is not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must hold a mapping of settings at its top level");
        }
        flatten("", root, out, file, known);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file,
            Map<String, Setting<?>> known) throws ConfigException {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && !known.containsKey(key)) {
                boolean isSection = known.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
                if (!isSection) {
                    throw new ConfigException("unknown key " + key + " in config file " + file
                            + "; known keys: " + String.join(", ", known.keySet()));
                }
                flatten(key, v, out, file, known);
            } else if (!known.containsKey(key)) {
                throw new ConfigException("unknown key " + key + " in config file " + file
                        + "; known keys: " + String.join(", ", known.keySet()));
            } else if (v.isArray() && (known.get(key).type() instanceof SettingType.UrlPrefixes
                    || known.get(key).type() instanceof SettingType.PublicKeys)) {
                out.put(key, joinScalars(key, v, file));
            } else if (v.isContainerNode()) {
                throw new ConfigException("invalid value for " + key + " (from " + file + "): expected "
                        + known.get(key).type().accepted());
            } else if (v.isNull()) {
                throw new ConfigException("invalid value for " + key + " (from " + file + "): empty; accepted: "
                        + known.get(key).type().accepted());
            } else {
                out.put(key, v.asText());
            }
        }
    }

    /** A YAML list of scalars as the space-separated text a flag or variable would hold. */
    private static String joinScalars(String key, JsonNode list, Path file) throws ConfigException {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : list) {
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException("invalid value for " + key + " (from " + file + "): a list of texts expected");
            }
            text.append(text.length() == 0 ? "" : " ").append(item.asText());
        }
        return text.toString();
    }

    private static Map<String, Setting<?>> byKey(List<Setting<?>> catalog) {
        Map<String, Setting<?>> map = new LinkedHashMap<>();
        for (Setting<?> s : catalog) {
            map.put(s.key(), s);
        }
        return map;
    }
}
