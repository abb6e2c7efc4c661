package dev.alloplace.admin;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the admin routes see it, nothing of Netty: method, path, the values of
 * the route's {@code {name}} segments, query, body (at most {@code admin.max_body_bytes}) and the
 * client's address (for the log of admin actions) and the headers (names in lower case, first
 * value of each).
 */
public record AdminRequest(String method, String path, Map<String, String> pathParams,
        Map<String, List<String>> query, byte[] body, InetSocketAddress remote, Map<String, String> headers) {

    public AdminRequest {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The value of the route's {@code {name}} segment; the route's template guarantees it exists. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no {" + name + "} segment");
        }
        return value;
    }

    /** The client as {@code host:port}, IPv6 in brackets. */
    public String remoteText() {
        return remote == null ? "unknown" : AdminServer.hostAndPort(remote);
    }
}
