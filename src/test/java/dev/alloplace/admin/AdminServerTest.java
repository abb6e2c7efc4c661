package dev.alloplace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alloplace.testing.RawHttp;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin endpoint over real HTTP: routing, the request screen, and the bounds on clients. */
@Timeout(30)
class AdminServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger changes = new AtomicInteger();
    private AdminServer server;
    private Metrics metrics;
    private InetSocketAddress at;

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
        return start(new AdminSettings(InetAddress.getLoopbackAddress(), 0, token), ready);
    }

    private InetSocketAddress start(AdminSettings settings, AtomicBoolean ready) throws Exception {
        metrics = new Metrics();
        server = new AdminServer(settings)
                .route("/healthz", HealthRoutes.live())
                .route("/readyz", HealthRoutes.ready(ready::get))
                .route("/metrics", metrics.route())
                .route("POST", "/api/things/{id}/poke", request -> {
                    changes.incrementAndGet();
                    return CompletableFuture.completedFuture(AdminResponse.json(200,
                            ("{\"poked\":\"" + request.pathParam("id") + "\",\"bytes\":" + request.body().length + "}")
                                    .getBytes(StandardCharsets.UTF_8)));
                });
        at = server.start();
        return at;
    }

    private AdminSettings settings(List<String> allowedHosts, int maxConnections, Duration idle, int maxBody) {
        return new AdminSettings(InetAddress.getLoopbackAddress(), 0, "", allowedHosts, maxConnections, idle, maxBody);
    }

    private HttpResponse<String> get(InetSocketAddress at, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RawHttp.Response raw(String method, String path, String host, String origin, String contentType, String body)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (host != null) {
            headers.put("Host", host);
        }
        if (origin != null) {
            headers.put("Origin", origin);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return RawHttp.send(at, method, path, headers, body);
    }

    private String own() {
        return "127.0.0.1:" + at.getPort();
    }

    private static String errorCode(String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        assertThat(json.path("message").asText()).as("an error says why").isNotBlank();
        return json.path("error").asText();
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
    void withATokenEverythingButHealthNeedsItOnLoopbackToo() throws Exception {
        InetSocketAddress at = start("s3cret", new AtomicBoolean(true));
        assertThat(get(at, "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(at, "/readyz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get(at, "/metrics", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(errorCode(refused.body())).isEqualTo("unauthorized");
        assertThat(get(at, "/metrics", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(at, "/metrics", "s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void aProbeWithATypoFailsInsteadOfPassing() throws Exception {
        start("", new AtomicBoolean(true));
        for (String path : List.of("/health", "/metricz", "/api/nope", "/", "/healthz/", "/api/things/x/poke/again")) {
            HttpResponse<String> r = call("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).as(path).hasValue("application/json");
            assertThat(errorCode(r.body())).isEqualTo("not_found");
        }
    }

    @Test
    void aWrongMethodIs405NamingTheAllowedOnes() throws Exception {
        start("", new AtomicBoolean(true));
        HttpResponse<String> post = call("POST", "/healthz", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(errorCode(post.body())).isEqualTo("method_not_allowed");
        HttpResponse<String> get = call("GET", "/api/things/a/poke", null, null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(call("HEAD", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(changes).hasValue(0);
    }

    @Test
    void aStateChangeMustSayItSendsJson() throws Exception {
        start("", new AtomicBoolean(true));
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
            HttpResponse<String> r = call("POST", "/api/things/a/poke", type, "{}");
            assertThat(r.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(errorCode(r.body())).isEqualTo("unsupported_media_type");
        }
        assertThat(changes).as("no refused request reached its route").hasValue(0);
        HttpResponse<String> ok = call("POST", "/api/things/a%20b/poke", "application/json; charset=utf-8", "{}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("poked").asText()).as("path segments are decoded").isEqualTo("a b");
        assertThat(changes).hasValue(1);
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedAsDnsRebinding() throws Exception {
        start(settings(List.of("admin.example"), 8, Duration.ofSeconds(30), 65536), new AtomicBoolean(true));
        String json = "application/json";
        for (String host : new String[] {"evil.example:" + at.getPort(), "evil.example", "10.1.2.3:" + at.getPort(),
            "127.0.0.1.evil.example", ""}) {
            RawHttp.Response r = raw("POST", "/api/things/a/poke", host.isEmpty() ? null : host, null, json, "{}");
            assertThat(r.status()).as(host).isIn(400, 403);
        }
        assertThat(raw("GET", "/metrics", "evil.example", null, null, null).status()).isEqualTo(403);
        assertThat(changes).hasValue(0);
        for (String host : new String[] {own(), "localhost:" + at.getPort(), "LOCALHOST", "admin.example:8443", "127.0.0.1"}) {
            assertThat(raw("POST", "/api/things/a/poke", host, null, json, "{}").status()).as(host).isEqualTo(200);
        }
        assertThat(raw("GET", "/healthz", "lb.internal:80", null, null, null).status())
                .as("probes answer whatever Host a load balancer sends").isEqualTo(200);
    }

    @Test
    void aRequestFromAForeignOriginIsRefusedAsCrossSite() throws Exception {
        start("", new AtomicBoolean(true));
        String json = "application/json";
        for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:9", "file://"}) {
            RawHttp.Response r = raw("POST", "/api/things/a/poke", own(), origin, json, "{}");
            assertThat(r.status()).as(origin).isEqualTo(403);
            assertThat(errorCode(r.body())).isEqualTo("origin_not_allowed");
        }
        assertThat(changes).hasValue(0);
        assertThat(raw("POST", "/api/things/a/poke", own(), "http://" + own(), json, "{}").status())
                .as("the inspector page's own requests").isEqualTo(200);
    }

    @Test
    void aDeclaredBodyOverTheCapIsRefusedBeforeItIsRead() throws Exception {
        start(settings(List.of(), 8, Duration.ofSeconds(30), 4096), new AtomicBoolean(true));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", own());
        headers.put("Content-Type", "application/json");
        headers.put("Content-Length", "2000000000");
        assertThat(RawHttp.send(at, "POST", "/api/things/a/poke", headers, "{}").status()).isEqualTo(413);
        assertThat(call("POST", "/api/things/a/poke", "application/json", "x".repeat(5000)).statusCode()).isEqualTo(413);
        HttpResponse<String> small = call("POST", "/api/things/a/poke", "application/json", "x".repeat(4000));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(small.body()).path("bytes").asInt()).isEqualTo(4000);
        assertThat(changes).hasValue(1);
    }

    @Test
    void connectionsBeyondTheCapGet503AndIdleOnesAreClosed() throws Exception {
        start(settings(List.of(), 2, Duration.ofMillis(500), 65536), new AtomicBoolean(true));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                s.connect(at, 3000);
                idle.add(s);
            }
            // One event loop accepts the connections in the order they were made and counts each
            // as it accepts it: the third is the one over the cap.
            try (Socket third = new Socket()) {
                third.connect(at, 3000);
                third.setSoTimeout(3000);
                RawHttp.Response r = RawHttp.read(third.getInputStream());
                assertThat(r.status()).isEqualTo(503);
                assertThat(errorCode(r.body())).isEqualTo("too_many_connections");
            }
            for (Socket s : idle) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                assertThat(in.read()).as("an idle connection is closed after the idle timeout").isEqualTo(-1);
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        // The server closed them itself, freeing their slots on the loop before it accepts another.
        assertThat(get(at, "/healthz", null).statusCode()).as("closed connections free their slots").isEqualTo(200);
    }

    @Test
    void theLoggedUrlPutsIpv6InBrackets() throws Exception {
        assertThat(AdminServer.url(new InetSocketAddress(InetAddress.getByName("::"), 4021))).isEqualTo("http://[::]:4021/");
        assertThat(AdminServer.url(new InetSocketAddress(InetAddress.getByName("::1"), 4021))).isEqualTo("http://[::1]:4021/");
        assertThat(AdminServer.url(new InetSocketAddress(InetAddress.getByName("fe80:0:0:1:0:0:0:2"), 1)))
                .isEqualTo("http://[fe80:0:0:1::2]:1/");
        assertThat(AdminServer.url(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 1)))
                .isEqualTo("http://[2001:db8::1]:1/");
        assertThat(AdminServer.url(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80))).isEqualTo("http://127.0.0.1:80/");
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
