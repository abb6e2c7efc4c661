package dev.alloplace.apps;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How {@code launch_app} reaches app gateways, and what bounds it.
 *
 * @param publicHost the host name apps are told to connect to ({@code x-alloverse-server})
 * @param publicPort the UDP port apps are told to connect to; 0 means the port the place listens on
 * @param allowedGateways the only URL prefixes the place POSTs to; empty refuses every launch
 * @param gatewayToken sent as {@code Authorization: Bearer} to the gateway; empty sends none
 * @param gatewayTimeout the whole exchange with a gateway: connect, headers and body
 * @param maxAnswerBytes most bytes of a gateway's answer that are read
 * @param announceTimeout how long the launched app has to announce before the requester is
 *     told the launch failed
 * @param maxPendingPerAgent launches one agent may have waiting at once
 */
public record LaunchSettings(String publicHost, int publicPort, List<URI> allowedGateways, String gatewayToken,
        Duration gatewayTimeout, int maxAnswerBytes, Duration announceTimeout, int maxPendingPerAgent) {

    public LaunchSettings {
        allowedGateways = List.copyOf(allowedGateways);
        gatewayToken = gatewayToken == null ? "" : gatewayToken;
    }

    /** The {@code place.launch_*} and {@code place.public_*} settings of {@code config}. */
    public static LaunchSettings from(Config config) {
        return new LaunchSettings(config.get(Settings.PUBLIC_HOST), config.get(Settings.PUBLIC_PORT),
                config.get(Settings.LAUNCH_GATEWAYS), config.get(Settings.LAUNCH_GATEWAY_TOKEN),
                Duration.ofMillis(config.get(Settings.LAUNCH_GATEWAY_TIMEOUT_MS)),
                config.get(Settings.LAUNCH_MAX_ANSWER_BYTES), Duration.ofMillis(config.get(Settings.LAUNCH_TIMEOUT_MS)),
                config.get(Settings.LAUNCH_MAX_PENDING_PER_AGENT));
    }
}
