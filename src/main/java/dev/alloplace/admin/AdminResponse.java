package dev.alloplace.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer of the admin endpoint, with any extra headers (such as {@code Allow}). */
public record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public AdminResponse {
        headers = Map.copyOf(headers);
    }

    public AdminResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static AdminResponse json(int status, byte[] json) {
        return new AdminResponse(status, "application/json", json);
    }

    /**
     * The admin API's one error shape: {@code {"error": "<code>", "message": "<for people>"}}.
     * {@code code} is stable for scripts; the message may change.
     */
    public static AdminResponse error(int status, String code, String message) {
        return json(status, errorBody(code, message));
    }

    static byte[] errorBody(String code, String message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("error", code).put("message", message);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    public AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, contentType, body, more);
    }
}
