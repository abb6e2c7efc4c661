package dev.alloplace.admin;

import java.util.List;
import java.util.Map;

/** One HTTP request as the admin routes see it: method, path, query and body, nothing of Netty. */
public record AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body) {

    public AdminRequest {
        query = Map.copyOf(query);
    }
}
