package dev.alloplace.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The Agones SDK sidecar's REST API (the grpc-gateway in front of the SDK server), one method
 * per call the place makes, with the paths, methods and JSON bodies Agones documents. Every
 * call is asynchronous on the client's own threads; nothing here blocks its caller.
 */
public final class AgonesSdk {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** An answer from the sidecar: its HTTP status and body (JSON, or an error object). */
    public record Reply(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The sidecar answered but refused for good (a 4xx); a retry would get the same. */
        public boolean refused() {
            return status >= 400 && status < 500;
        }
    }

    /** An open {@code /watch/gameserver} stream; {@link #done} completes when it ends. */
    public interface Watch {
        CompletableFuture<Void> done();

        void cancel();
    }

    public AgonesSdk(URI base, Duration timeout, Executor executor) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .executor(executor).build();
    }

    /** {@code POST /ready}: the place accepts players and may be allocated. */
    public CompletableFuture<Reply> ready() {
        return call("POST", "ready", empty());
    }

    /** {@code POST /health}: one health ping. */
    public CompletableFuture<Reply> health() {
        return call("POST", "health", empty());
    }

    /** {@code POST /shutdown}: the session is over; Agones deletes the pod. */
    public CompletableFuture<Reply> shutdown() {
        return call("POST", "shutdown", empty());
    }

    /** {@code GET /gameserver}: the GameServer as it is now. */
    public CompletableFuture<Reply> gameServer() {
        return call("GET", "gameserver", null);
    }

    /** {@code PUT /metadata/label}: Agones stores it as {@code agones.dev/sdk-<key>}. */
    public CompletableFuture<Reply> setLabel(String key, String value) {
        return call("PUT", "metadata/label", keyValue(key, value));
    }

    /** {@code PUT /metadata/annotation}: stored as {@code agones.dev/sdk-<key>}. */
    public CompletableFuture<Reply> setAnnotation(String key, String value) {
        return call("PUT", "metadata/annotation", keyValue(key, value));
    }

    /** {@code POST /v1beta1/lists/{name}:addValue}; 409 when the value is already there. */
    public CompletableFuture<Reply> addListValue(String list, String value) {
        return call("POST", "v1beta1/lists/" + list + ":addValue", JSON.createObjectNode().put("value", value));
    }

    /** {@code POST /v1beta1/lists/{name}:removeValue}; 404 when the value is not there. */
    public CompletableFuture<Reply> removeListValue(String list, String value) {
        return call("POST", "v1beta1/lists/" + list + ":removeValue", JSON.createObjectNode().put("value", value));
    }

    /** {@code PATCH /v1beta1/counters/{name}} setting the count (int64, written as a string as protobuf JSON does). */
    public CompletableFuture<Reply> setCounter(String counter, long count) {
        return call("PATCH", "v1beta1/counters/" + counter, JSON.createObjectNode().put("count", Long.toString(count)));
    }

    /**
     * {@code GET /watch/gameserver}: newline-delimited {@code {"result": GameServer}} objects, one
     * per change, for as long as the stream stays open. Each line goes to {@code onLine} on the
     * client's threads.
     */
    public Watch watch(Consumer<String> onLine) {
        LineStream lines = new LineStream(onLine);
        HttpRequest request = request("GET", "watch/gameserver", null);
        CompletableFuture<Void> done = http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines))
                .thenCompose(response -> response.statusCode() == 200
                        ? lines.finished
                        : CompletableFuture.failedFuture(new IOException("watch answered " + response.statusCode())));
        return new Watch() {
            @Override
            public CompletableFuture<Void> done() {
                return done;
            }

            @Override
            public void cancel() {
                lines.cancel();
            }
        };
    }

    private CompletableFuture<Reply> call(String method, String path, JsonNode body) {
        return http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.body()));
    }

    private HttpRequest request(String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            return builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    private static ObjectNode empty() {
        return JSON.createObjectNode();
    }

    private static ObjectNode keyValue(String key, String value) {
        return JSON.createObjectNode().put("key", key).put("value", value);
    }

    /** Hands each line of a streamed body on, and can be cancelled from any thread. */
    private static final class LineStream implements Flow.Subscriber<String> {
        private final Consumer<String> onLine;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        LineStream(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
                finished.complete(null);
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (!line.isBlank() && !cancelled) {
                onLine.accept(line);
            }
        }

        @Override
        public void onError(Throwable error) {
            finished.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            finished.complete(null);
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            finished.complete(null);
        }
    }
}
