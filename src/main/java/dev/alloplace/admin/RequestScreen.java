package dev.alloplace.admin;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a request must show before any route sees it. The admin endpoint listens on loopback
 * without a token by default, so it must not obey a web page the operator happens to open:
 * <ul>
 * <li>{@code Host} names this endpoint: the address the request arrived on, {@code localhost}
 *     when that is loopback, or a name in {@code admin.allowed_hosts}. A DNS-rebinding page
 *     sends its own name and is refused.</li>
 * <li>An {@code Origin}, when sent, is this endpoint itself (same host and port as {@code Host}).
 *     A cross-site page's requests are refused.</li>
 * <li>A state-changing method (POST, PUT, PATCH, DELETE) carries {@code Content-Type:
 *     application/json}, which no HTML form can send and cross-site scripts cannot send without
 *     a CORS preflight this endpoint never grants.</li>
 * <li>With a token configured, {@code Authorization: Bearer <token>} on all but public paths.</li>
 * </ul>
 * Probes ({@code /healthz}, {@code /readyz}) only read and are answered whatever their Host, for
 * load balancers and kubelets that send an address of their own choosing.
 */
final class RequestScreen {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** The parts of a request the screen looks at. */
    record Headers(String host, String origin, String contentType, String authorization) {
    }

    private final List<String> allowedHosts;
    private final byte[] expectedAuthorization;

    RequestScreen(AdminSettings settings) {
        this.allowedHosts = settings.allowedHosts();
        this.expectedAuthorization = settings.token().isBlank() ? null
                : ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
    }

    /** A refusal for a request that may not reach its route, or empty when it may. */
    Optional<AdminResponse> beforeRouting(Headers headers, InetAddress arrivedOn, boolean probe, boolean publicPath) {
        if (probe) {
            return Optional.empty();
        }
        Authority host = Authority.parse(headers.host());
        if (host == null) {
            return refuse(400, "bad_host", "a Host header naming this endpoint is required");
        }
        if (!hostAllowed(host.host(), arrivedOn)) {
            return refuse(403, "host_not_allowed", "Host " + headers.host() + " does not name this admin endpoint; "
                    + "add the name to admin.allowed_hosts if it is yours");
        }
        if (headers.origin() != null && !sameOrigin(headers.origin(), host)) {
            return refuse(403, "origin_not_allowed", "requests from " + headers.origin() + " are refused; "
                    + "the admin endpoint only answers its own pages and non-browser clients");
        }
        if (expectedAuthorization != null && !publicPath && !authorized(headers.authorization())) {
            return Optional.of(AdminResponse.error(401, "unauthorized", "missing or wrong bearer token")
                    .withHeader("WWW-Authenticate", "Bearer"));
        }
        return Optional.empty();
    }

    /** A refusal for a state-changing request that does not say it sends JSON, or empty. */
    Optional<AdminResponse> beforeHandling(String method, String contentType) {
        if (!STATE_CHANGING.contains(method)) {
            return Optional.empty();
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            return refuse(415, "unsupported_media_type", method + " requests must send Content-Type: application/json"
                    + (contentType == null ? "" : ", not " + contentType));
        }
        return Optional.empty();
    }

    private boolean hostAllowed(String host, InetAddress arrivedOn) {
        if (allowedHosts.contains(host)) {
            return true;
        }
        if (host.equals("localhost")) {
            return arrivedOn.isLoopbackAddress();
        }
        InetAddress literal = ipLiteral(host);
        if (literal == null) {
            return false;
        }
        return literal.equals(arrivedOn) || literal.isLoopbackAddress() && arrivedOn.isLoopbackAddress();
    }

    private static boolean sameOrigin(String origin, Authority host) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false; // "null" (sandboxed frames, file: pages) and anything odd
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        int hostPort = host.port() < 0 ? defaultPort : host.port();
        return uri.getHost().toLowerCase(Locale.ROOT).equals(host.host()) && originPort == hostPort;
    }

    private boolean authorized(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    /** An IPv4 literal or a bracketed IPv6 literal, without any name lookup; null otherwise. */
    private static InetAddress ipLiteral(String host) {
        String text;
        if (host.startsWith("[") && host.endsWith("]")) {
            text = host.substring(1, host.length() - 1);
            if (!text.matches("[0-9a-f:.]+")) {
                return null;
            }
        } else if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            text = host;
        } else {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Optional<AdminResponse> refuse(int status, String code, String message) {
        return Optional.of(AdminResponse.error(status, code, message));
    }

    /** {@code host[:port]} of a Host header, host lower-case (IPv6 keeps its brackets); port -1 if absent. */
    record Authority(String host, int port) {
        static Authority parse(String header) {
            if (header == null || header.isBlank()) {
                return null;
            }
            String text = header.trim().toLowerCase(Locale.ROOT);
            String host = text;
            String port = null;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = text.substring(0, close + 1);
                String rest = text.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return null;
                    }
                    port = rest.substring(1);
                }
            } else if (text.indexOf(':') >= 0) {
                host = text.substring(0, text.indexOf(':'));
                port = text.substring(text.indexOf(':') + 1);
            }
            if (host.isEmpty()) {
                return null;
            }
            if (port == null) {
                return new Authority(host, -1);
            }
            if (!port.matches("\\d{1,5}")) {
                return null;
            }
            return new Authority(host, Integer.parseInt(port));
        }
    }
}
