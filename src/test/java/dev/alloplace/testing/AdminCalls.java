package dev.alloplace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls to a test server's admin endpoint, as an operator's script makes them: method, path, JSON body. */
public final class AdminCalls {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final InetSocketAddress address;

    public AdminCalls(InetSocketAddress address) {
        this.address = address;
    }

    /** What the endpoint answered. */
    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return ProtocolJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the admin endpoint answered " + status + " with no JSON: " + body, e);
            }
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    /** {@code GET path}'s JSON, which must come with 200. */
    public JsonNode json(String path) {
        Reply reply = get(path);
        if (reply.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    public Reply get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Reply post(String path, String jsonBody) {
        return send("POST", path, jsonBody, Map.of());
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /**
     * Any call; all but a GET say {@code Content-Type: application/json}, as the admin endpoint
     * asks of a change (against cross-site forms).
     */
    public Reply send(String method, String path, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (!"GET".equals(method)) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + path + " interrupted", e);
        }
    }
}
