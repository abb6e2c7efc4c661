package dev.alloplace.admin;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Where the admin HTTP endpoint listens, the bearer token it requires, the host names it
 * answers to, and what bounds a client's cost: connections at once, idle time, body size.
 *
 * @param port TCP port, 0 for any free port
 * @param token bearer token; empty means none, which is only allowed on a loopback address
 * @param allowedHosts names accepted in {@code Host} besides the address a request arrived on
 */
public record AdminSettings(InetAddress bind, int port, String token, List<String> allowedHosts,
        int maxConnections, Duration idleTimeout, int maxBodyBytes) {

    public AdminSettings {
        token = token == null ? "" : token;
        allowedHosts = List.copyOf(allowedHosts);
        if (maxConnections < 1 || maxBodyBytes < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("connections, body size and idle timeout must be positive");
        }
    }

    /** The given address, port and token with every bound at its default. */
    public AdminSettings(InetAddress bind, int port, String token) {
        this(bind, port, token, List.of(), Settings.ADMIN_MAX_CONNECTIONS.defaultValue(),
                Duration.ofMillis(Settings.ADMIN_IDLE_TIMEOUT_MS.defaultValue()), Settings.ADMIN_MAX_BODY_BYTES.defaultValue());
    }

    public static AdminSettings from(Config config) {
        return new AdminSettings(config.get(Settings.ADMIN_BIND), config.get(Settings.ADMIN_PORT),
                config.get(Settings.ADMIN_TOKEN), config.get(Settings.ADMIN_ALLOWED_HOSTS),
                config.get(Settings.ADMIN_MAX_CONNECTIONS), Duration.ofMillis(config.get(Settings.ADMIN_IDLE_TIMEOUT_MS)),
                config.get(Settings.ADMIN_MAX_BODY_BYTES));
    }

    /** Whether these settings may be used: off loopback, a token is mandatory. */
    public String problem() {
        if (!bind.isLoopbackAddress() && token.isBlank()) {
            return "admin.bind is " + bind.getHostAddress() + ", which is not a loopback address; set admin.token "
                    + "(ALLOPLACE_ADMIN_TOKEN) so that only holders of the token can use the admin API";
        }
        return null;
    }
}
