package dev.alloplace.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one launch to an app gateway and says, in a few words of its own, how it went. The
 * whole exchange has one deadline, the answer is read up to a cap, redirects are not followed,
 * and the gateway's body never reaches the agent (only the operator's log sees an excerpt).
 * The HTTP client (its TLS context, trust store and selector thread) is built off the calling
 * thread at the first launch: a place that never launches an app does not carry it.
 */
final class GatewayClient {

    private static final Logger log = LoggerFactory.getLogger(GatewayClient.class);
    private static final int LOGGED_EXCERPT_BYTES = 200;

    /** How a launch went at the gateway: started, or refused for a short, place-written reason. */
    sealed interface Outcome {
        record Started() implements Outcome {
        }

        record Failed(String reason) implements Outcome {
        }
    }

    private final Object building = new Object();
    private CompletableFuture<HttpClient> http;
    private final Duration timeout;
    private final int maxAnswerBytes;
    private final String authorization;

    GatewayClient(Duration timeout, int maxAnswerBytes, String token) {
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
        this.authorization = token.isBlank() ? null : "Bearer " + token;
    }

    private CompletableFuture<HttpClient> http() {
        synchronized (building) {
            if (http == null) {
                http = CompletableFuture.supplyAsync(() -> HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build());
            }
            return http;
        }
    }

    CompletableFuture<Outcome> post(URI gateway, byte[] body, String server, String launchedBy) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("x-alloverse-server", server)
                .header("x-alloverse-launched-by", launchedBy)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        AtomicReference<BoundedBody> reading = new AtomicReference<>();
        AtomicReference<CompletableFuture<?>> sending = new AtomicReference<>();
        CompletableFuture<HttpResponse<BoundedBody.Read>> exchange = http().thenCompose(client -> {
            CompletableFuture<HttpResponse<BoundedBody.Read>> sent = client.sendAsync(request.build(), info -> {
                BoundedBody answer = new BoundedBody(info.statusCode() == 200 ? maxAnswerBytes : LOGGED_EXCERPT_BYTES);
                reading.set(answer);
                return answer;
            });
            sending.set(sent);
            return sent;
        });
        // The deadline is cancelled when the exchange ends, so that an answered launch is not kept
        // (its request, answer and buffers) until the deadline would have passed: a burst of
        // launches would otherwise hold all of them for the whole timeout, long enough to fill the
        // old generation, which the collector then keeps committed.
        CompletableFuture<Void> deadline = new CompletableFuture<Void>()
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
        deadline.thenRun(() -> {
            if (!exchange.isDone()) {
                BoundedBody answer = reading.get();
                if (answer != null) {
                    answer.abort(new TimeoutException("answer not complete in time"));
                }
                CompletableFuture<?> sent = sending.get();
                if (sent != null) {
                    sent.cancel(true);
                }
                exchange.cancel(true);
            }
        });
        exchange.whenComplete((response, error) -> deadline.cancel(false));
        return exchange.handle((response, error) -> outcome(gateway, response, error));
    }

    private static Outcome outcome(URI gateway, HttpResponse<BoundedBody.Read> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean late = cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                    || cause instanceof CancellationException;
            log.info("app gateway {} {}: {}", gateway, late ? "timed out" : "unreachable", cause.toString());
            return new Outcome.Failed(late ? "app gateway timed out" : "app gateway unreachable");
        }
        BoundedBody.Read answer = response.body();
        if (response.statusCode() != 200) {
            log.info("app gateway {} answered {}: {}", gateway, response.statusCode(), excerpt(answer.bytes()));
            String phrase = reasonPhrase(response.statusCode());
            return new Outcome.Failed(("app gateway answered " + response.statusCode() + " " + phrase).strip());
        }
        if (!answer.whole()) {
            log.info("app gateway {} answered with more than {} bytes", gateway, answer.bytes().length);
            return new Outcome.Failed("app gateway answer too large");
        }
        return new Outcome.Started();
    }

    /** The start of an answer as one printable line, for the operator's log only. */
    private static String excerpt(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.replaceAll("[\\p{Cntrl}]", " ").strip();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 300 && status < 400 ? "Redirect (not followed)" : "";
        };
    }
}
