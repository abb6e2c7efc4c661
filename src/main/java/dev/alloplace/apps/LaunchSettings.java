package dev.alloplace.apps;

import java.time.Duration;

/**
 * How {@code launch_app} reaches app gateways.
 *
 * @param publicHost the host name apps are told to connect to ({@code x-alloverse-server})
 * @param publicPort the UDP port apps are told to connect to
 * @param gatewayTimeout connect and response timeout of the gateway's HTTP POST
 * @param announceTimeout how long the launched app has to announce before the requester is
 *     told the launch failed
 */
public record LaunchSettings(String publicHost, int publicPort, Duration gatewayTimeout, Duration announceTimeout) {

    public static LaunchSettings defaults(int publicPort) {
        return new LaunchSettings("localhost", publicPort, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
}
