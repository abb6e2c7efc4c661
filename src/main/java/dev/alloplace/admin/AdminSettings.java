package dev.alloplace.admin;

import java.net.InetAddress;

/**
 * Where the admin HTTP endpoint listens and the bearer token it requires.
 *
 * @param port TCP port, 0 for any free port
 * @param token bearer token; empty means none, which is only allowed on a loopback address
 */
public record AdminSettings(InetAddress bind, int port, String token) {

    public AdminSettings {
        token = token == null ? "" : token;
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
