package dev.alloplace.fleet;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the place takes part in an Agones fleet: where the SDK sidecar's REST API is, how often
 * to report health, when an empty place gives itself back, and how players are reported.
 *
 * @param enabled whether to talk to Agones at all
 * @param sdkBase the sidecar's REST API, {@code http://localhost:PORT/}
 * @param healthInterval time between Health pings while the place loop keeps up
 * @param emptyShutdown how long an allocated place may stay without announced agents before it
 *     asks for Shutdown; zero for never
 * @param players what is reported about announced agents
 * @param playersKey the List or Counter they are reported to
 * @param retryInitial first wait after a failed call (the sidecar may start after the server)
 * @param retryMax longest wait between retries
 * @param requestTimeout how long one call may take before it counts as failed
 */
public record AgonesSettings(
        boolean enabled,
        URI sdkBase,
        Duration healthInterval,
        Duration emptyShutdown,
        PlayerReporting players,
        String playersKey,
        Duration retryInitial,
        Duration retryMax,
        Duration requestTimeout) {

    /** The variable Agones sets in the game server container for the REST API's port. */
    public static final String HTTP_PORT_ENV = "AGONES_SDK_HTTP_PORT";
    /** Set by Agones beside the HTTP port; either one means the sidecar is there. */
    public static final String GRPC_PORT_ENV = "AGONES_SDK_GRPC_PORT";
    /** Agones' default REST port when the variable is absent. */
    public static final int DEFAULT_HTTP_PORT = 9358;

    /** Characters a List or Counter name may have so that it can stand in a URL path as it is. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** What the place reports about its announced agents. */
    public enum PlayerReporting { LIST, COUNTER, NONE }

    /**
     * Reads the {@code fleet.*} settings; {@code env} is the process environment, where Agones
     * puts the sidecar's port (and whose presence turns {@code auto} on).
     */
    public static AgonesSettings from(Config config, Map<String, String> env) {
        String mode = config.get(Settings.FLEET_AGONES);
        String envPort = env.getOrDefault(HTTP_PORT_ENV, "").trim();
        boolean sidecarPresent = !envPort.isEmpty() || !env.getOrDefault(GRPC_PORT_ENV, "").isBlank();
        boolean enabled = switch (mode) {
            case "on", "true" -> true;
            case "auto" -> sidecarPresent;
            default -> false;
        };
        int port = config.get(Settings.FLEET_SDK_HTTP_PORT);
        if (port == 0) {
            port = parsePort(envPort);
        }
        return new AgonesSettings(enabled, URI.create("http://localhost:" + port + "/"),
                Duration.ofMillis(config.get(Settings.FLEET_HEALTH_INTERVAL_MS)),
                Duration.ofMillis(config.get(Settings.FLEET_EMPTY_SHUTDOWN_MS)),
                PlayerReporting.valueOf(config.get(Settings.FLEET_PLAYERS).toUpperCase(Locale.ROOT)),
                config.get(Settings.FLEET_PLAYERS_KEY),
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port <= 65535 ? port : DEFAULT_HTTP_PORT;
        } catch (NumberFormatException e) {
            return DEFAULT_HTTP_PORT;
        }
    }

    /** Why these settings cannot be used, or null. */
    public String problem() {
        if (enabled && players != PlayerReporting.NONE && !KEY.matcher(playersKey).matches()) {
            return "fleet.players_key is \"" + playersKey + "\"; a List or Counter name here is letters, digits, '.', '_' "
                    + "and '-', starting with a letter or digit";
        }
        return null;
    }
}
