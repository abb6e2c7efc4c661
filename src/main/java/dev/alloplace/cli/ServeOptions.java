package dev.alloplace.cli;

import dev.alloplace.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Command-line flags of the server; each maps to one setting of {@link Settings}. */
public final class ServeOptions {

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "UDP bind address (default 0.0.0.0). Env: ALLOPLACE_BIND")
    String bind;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "UDP port, 0 for any free port (default 21337). Env: ALLOPLACE_PORT")
    String port;

    @Option(names = "--max-peers", paramLabel = "N", description = "Most connections at once (default 128). Env: ALLOPLACE_MAX_PEERS")
    String maxPeers;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Place name (default \"Unnamed place\"). Env: ALLOPLACE_NAME")
    String name;

    @Option(names = "--heartbeat-hz", paramLabel = "HZ", description = "Heartbeats per second (default 20). Env: ALLOPLACE_HEARTBEAT_HZ")
    String heartbeatHz;

    @Option(names = "--admin-bind", paramLabel = "ADDRESS", description = "Admin HTTP bind address (default 127.0.0.1). Env: ALLOPLACE_ADMIN_BIND")
    String adminBind;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "Admin HTTP port, 0 any free, -1 off (default 21338). Env: ALLOPLACE_ADMIN_PORT")
    String adminPort;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR", description = "Data directory (default ./data). Env: ALLOPLACE_DATA_DIR")
    String dataDir;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json (default text). Env: ALLOPLACE_LOG_FORMAT")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn or error (default info). Env: ALLOPLACE_LOG_LEVEL")
    String logLevel;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (see config/alloplace.yaml). Env: ALLOPLACE_CONFIG")
    Path configFile;

    /** The flags that were given, keyed by setting key. */
    Map<String, String> givenSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, Settings.BIND.key(), bind);
        put(m, Settings.PORT.key(), port);
        put(m, Settings.MAX_PEERS.key(), maxPeers);
        put(m, Settings.PLACE_NAME.key(), name);
        put(m, Settings.HEARTBEAT_HZ.key(), heartbeatHz);
        put(m, Settings.ADMIN_BIND.key(), adminBind);
        put(m, Settings.ADMIN_PORT.key(), adminPort);
        put(m, Settings.DATA_DIR.key(), dataDir);
        put(m, Settings.LOG_FORMAT.key(), logFormat);
        put(m, Settings.LOG_LEVEL.key(), logLevel);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
