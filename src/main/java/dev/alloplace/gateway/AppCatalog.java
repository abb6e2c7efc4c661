package dev.alloplace.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The apps a gateway may start, read from YAML and checked whole at startup: a bad entry stops
 * the gateway with a message naming the app and the key, as a bad setting stops the place.
 *
 * <pre>
 * apps:
 *   - name: clock
 *     command: [java, -jar, /opt/alloplace/alloplace.jar, example-app]
 *     working_directory: /var/lib/alloplace-apps   # optional
 *     environment: {CLOCK_STYLE: "24h"}             # optional
 *     max_instances: 2                              # optional: gateway.max_processes_per_app
 *     max_run_seconds: 3600                         # optional: gateway.max_run_seconds, 0 none
 * </pre>
 */
public final class AppCatalog {

    /** Lower-case names that fit in a URL path segment; a few are the gateway's own paths. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> RESERVED = Set.of("apps", "healthz", "readyz", "metrics");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> KEYS = Set.of("name", "command", "working_directory", "environment",
            "max_instances", "max_run_seconds");
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final int MAX_APPS = 1024;
    private static final int MAX_ARGS = 256;

    private final Map<String, AppSpec> apps;

    public AppCatalog(List<AppSpec> apps) {
        Map<String, AppSpec> byName = new LinkedHashMap<>();
        apps.forEach(app -> byName.put(app.name(), app));
        this.apps = Map.copyOf(byName);
    }

    public Optional<AppSpec> app(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    public Set<String> names() {
        return apps.keySet();
    }

    /**
     * @param defaultInstances max_instances of an app that does not set it
     * @param defaultRunTime max_run_seconds of an app that does not set it
     */
    public static AppCatalog read(Path file, int defaultInstances, Duration defaultRunTime) throws ConfigException {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("app catalog " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new ConfigException("app catalog " + file + " does not exist (set gateway.apps_file or --apps)");
        } catch (JacksonException e) {
            throw new ConfigException("app catalog " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("app catalog " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("apps").isArray() || root.size() != 1) {
            throw new ConfigException("app catalog " + file + " must hold one key, apps, with a list of apps");
        }
        if (root.get("apps").size() > MAX_APPS) {
            throw new ConfigException("app catalog " + file + " lists more than " + MAX_APPS + " apps");
        }
        List<AppSpec> apps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (JsonNode entry : root.get("apps")) {
            AppSpec app = app(entry, "app catalog " + file + ", app #" + (++index), defaultInstances, defaultRunTime);
            if (!seen.add(app.name())) {
                throw new ConfigException("app catalog " + file + " lists the app " + app.name() + " twice");
            }
            apps.add(app);
        }
        return new AppCatalog(apps);
    }

    private static AppSpec app(JsonNode entry, String where, int defaultInstances, Duration defaultRunTime)
            throws ConfigException {
        if (!entry.isObject()) {
            throw new ConfigException(where + ": an app is a mapping with name and command");
        }
        String name = entry.path("name").isTextual() ? entry.get("name").textValue() : "";
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new ConfigException(where + ": name must be 1-64 lower-case letters, digits, '-' or '_', not one of "
                    + RESERVED.stream().sorted().toList());
        }
        where = where + " (" + name + ")";
        for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException(where + ": unknown key " + key + "; known keys: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        JsonNode command = entry.path("command");
        if (command.isTextual()) {
            throw new ConfigException(where + ": command must be a list of arguments, e.g. [java, -jar, app.jar], "
                    + "not a shell string; no shell is used");
        }
        if (!command.isArray() || command.isEmpty() || command.size() > MAX_ARGS) {
            throw new ConfigException(where + ": command must be a list of 1 to " + MAX_ARGS + " arguments");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode arg : command) {
            if (!arg.isValueNode() || arg.isNull() || arg.asText().indexOf('\0') >= 0) {
                throw new ConfigException(where + ": every command argument must be a text");
            }
            argv.add(arg.asText());
        }
        if (argv.get(0).isBlank()) {
            throw new ConfigException(where + ": the command's first argument (the program) must not be empty");
        }
        Optional<Path> directory = Optional.empty();
        if (entry.has("working_directory")) {
            String dir = entry.get("working_directory").asText("");
            if (!entry.get("working_directory").isTextual() || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
                throw new ConfigException(where + ": working_directory must name an existing directory");
            }
            directory = Optional.of(Path.of(dir));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (entry.has("environment")) {
            JsonNode env = entry.get("environment");
            if (!env.isObject()) {
                throw new ConfigException(where + ": environment must be a mapping of NAME: value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> variable = it.next();
                if (!ENV_NAME.matcher(variable.getKey()).matches() || variable.getKey().startsWith(AppEnvironment.PREFIX)) {
                    throw new ConfigException(where + ": environment variable " + variable.getKey()
                            + " must be letters, digits and '_' and not start with " + AppEnvironment.PREFIX);
                }
                if (!variable.getValue().isValueNode() || variable.getValue().isNull()) {
                    throw new ConfigException(where + ": environment variable " + variable.getKey() + " must have a text value");
                }
                environment.put(variable.getKey(), variable.getValue().asText());
            }
        }
        int instances = defaultInstances;
        if (entry.has("max_instances")) {
            JsonNode n = entry.get("max_instances");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 1 || n.intValue() > 4096) {
                throw new ConfigException(where + ": max_instances must be an integer from 1 to 4096");
            }
            instances = n.intValue();
        }
        Duration runTime = defaultRunTime;
        if (entry.has("max_run_seconds")) {
            JsonNode n = entry.get("max_run_seconds");
            if (!n.isIntegralNumber() || n.longValue() < 0 || n.longValue() > 31_536_000) {
                throw new ConfigException(where + ": max_run_seconds must be an integer from 0 (no limit) to 31536000");
            }
            runTime = Duration.ofSeconds(n.longValue());
        }
        return new AppSpec(name, argv, directory, environment, instances, runTime);
    }
}
