package dev.alloplace.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the place's own figures from its admin endpoint: the heartbeat histogram and the
 * process's CPU time from {@code /metrics}, and {@code /api/stats}. Both are cumulative, so two
 * readings give exactly what happened between them (no "last minute" of the server's, and no
 * first CPU sample that reads as 100 %). A reading that does not arrive in time is missing,
 * never a made-up number.
 */
final class ServerProbe {

    /** One reading; {@code stats} is a missing node when /api/stats did not answer. */
    record Reading(long atNanos, HeartbeatHistogram heartbeats, OptionalDouble cpuSeconds, int cores, JsonNode stats) {

        /** The server's CPU use between {@code earlier} and this reading, 100 = every core busy. */
        OptionalDouble cpuPercentSince(Reading earlier) {
            if (cpuSeconds.isEmpty() || earlier.cpuSeconds.isEmpty() || cores <= 0 || atNanos <= earlier.atNanos) {
                return OptionalDouble.empty();
            }
            double wall = (atNanos - earlier.atNanos) / 1e9;
            return OptionalDouble.of(100 * (cpuSeconds.getAsDouble() - earlier.cpuSeconds.getAsDouble()) / (wall * cores));
        }

        long merges(String field) {
            return stats.path(field).asLong(-1);
        }
    }

    private final URI admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param admin the place's admin endpoint, or null when the run has none */
    ServerProbe(URI admin) {
        this.admin = admin;
    }

    boolean enabled() {
        return admin != null;
    }

    /** A reading within {@code timeout}, or empty (no endpoint, no answer, not in time). */
    CompletableFuture<Optional<Reading>> read(Duration timeout) {
        if (admin == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long at = System.nanoTime();
        CompletableFuture<String> metrics = get("/metrics", timeout);
        CompletableFuture<String> stats = get("/api/stats", timeout);
        return metrics.thenCombine(stats, (m, s) -> {
            if (m == null) {
                return Optional.<Reading>empty();
            }
            JsonNode json = MissingNode.getInstance();
            if (s != null && ProtocolJson.read(s.getBytes(StandardCharsets.UTF_8))
                    instanceof ParseResult.Success<JsonNode> parsed) {
                json = parsed.value();
            }
            OptionalDouble cpuNanos = value(m, "process_cpu_time_ns_total");
            return Optional.of(new Reading(at, HeartbeatHistogram.parse(m),
                    cpuNanos.isPresent() ? OptionalDouble.of(cpuNanos.getAsDouble() / 1e9) : OptionalDouble.empty(),
                    (int) value(m, "system_cpu_count").orElse(0), json));
        });
    }

    private CompletableFuture<String> get(String path, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(admin.resolve(path)).timeout(timeout).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 ? r.body() : null)
                .exceptionally(failure -> null);
    }

    /** The first sample of a metric (any tags) in a Prometheus text scrape. */
    static OptionalDouble value(String scrape, String metric) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                try {
                    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }
}
