package dev.alloplace.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the admin routes see it: method, path, query, body and headers (names in
 * lower case, first value of each), nothing of Netty.
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body,
        Map<String, String> headers) {

    public AdminRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body) {
        this(method, path, query, body, Map.of());
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
