package dev.alloplace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AdminServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdminServer server;
    private Metrics metrics;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private InetSocketAddress start(String token, AtomicBoolean ready) throws Exception {
        metrics = new Metrics();
        server = new AdminServer(new AdminSettings(InetAddress.getLoopbackAddress(), 0, token))
                .route("/healthz", HealthRoutes.live())
                .route("/readyz", HealthRoutes.ready(ready::get))
                .route("/metrics", metrics.route());
        return server.start();
    }

    private HttpResponse<String> get(InetSocketAddress at, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzIsAlwaysUpAndReadyzFollowsTheProbe() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        InetSocketAddress at = start("", ready);
        assertThat(get(at, "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(at, "/readyz", null).statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get(at, "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() throws Exception {
        InetSocketAddress at = start("", new AtomicBoolean(true));
        metrics.registry().counter("alloplace_test_events").increment(3);
        HttpResponse<String> r = get(at, "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("jvm_memory_used_bytes").contains("alloplace_test_events_total");
    }

    @Test
    void withATokenEverythingButHealthNeedsIt() throws Exception {
        InetSocketAddress at = start("s3cret", new AtomicBoolean(true));
        assertThat(get(at, "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(at, "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(get(at, "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(at, "/metrics", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(at, "/metrics", "s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        InetSocketAddress at = start("", new AtomicBoolean(true));
        assertThat(get(at, "/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void bindingOffLoopbackWithoutATokenIsRefused() throws Exception {
        AdminSettings open = new AdminSettings(InetAddress.getByName("0.0.0.0"), 0, "");
        assertThat(open.problem()).contains("admin.token");
        server = new AdminServer(open);
        assertThatThrownBy(server::start).hasMessageContaining("admin.token");
        assertThat(new AdminSettings(InetAddress.getByName("0.0.0.0"), 0, "t").problem()).isNull();
    }
}
