package dev.alloplace.fleet;

import static dev.alloplace.testing.StandInAgonesSdk.SDK_PREFIX;
import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.testing.StandInAgonesSdk.Request;
import dev.alloplace.testing.StandInAgonesSdk;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole place (real ENet, real clients) under a stand-in Agones SDK sidecar that serves the
 * REST API as Agones documents it: what the sidecar hears is what Agones would.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgonesFleetTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int HEALTH_INTERVAL_MS = 100;

    private final List<AutoCloseable> open = new ArrayList<>();
    private StandInAgonesSdk sdk;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (sdk != null) {
            assertThat(sdk.violations()).as("requests outside the documented REST API").isEmpty();
        }
    }

    private StandInAgonesSdk sidecar() throws Exception {
        sdk = StandInAgonesSdk.start();
        open.add(sdk);
        return sdk;
    }

    private TestPlace place(int sdkPort, Map<String, String> settings, PlaceExtension... extensions) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("fleet.agones", "on");
        all.put("fleet.sdk_http_port", Integer.toString(sdkPort));
        all.put("fleet.health_interval_ms", Integer.toString(HEALTH_INTERVAL_MS));
        all.putAll(settings);
        TestPlace place = TestPlace.start(all, List.of(extensions));
        open.add(place);
        return place;
    }

    private static ClientOptions visor(String name) {
        return ClientOptions.defaults(name);
    }

    private static Set<String> announcedAgents(TestPlace place) throws Exception {
        return place.onPlace(context -> context.agents().stream().filter(Agent::announced)
                .map(Agent::id).collect(Collectors.toSet()));
    }

    private static Predicate<Request> call(String method, String path) {
        return r -> r.is(method, path);
    }

    @Test
    void thePlaceSaysReadyOnceItListensAndTicksAndLabelsItself() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        FirstTick firstTick = new FirstTick();
        TestPlace place = place(sdk.port(), Map.of(), firstTick);

        Request ready = sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();

        assertThat(ready.json().isObject() && ready.json().isEmpty()).as("Ready's body is {}").isTrue();
        assertThat(ready.contentType()).startsWith("application/json");
        assertThat(firstTick.atNanos.get()).as("the place loop ran before Ready").isPositive()
                .isLessThan(ready.atNanos());
        assertThat(sdk.count("POST", "/ready")).isEqualTo(1);
        assertThat(sdk.state()).isEqualTo("Ready");
        assertThat(place.join("annie", visor("annie")).avatarId()).as("a visor can join at once").isNotBlank();
        assertThat(sdk.await(() -> sdk.labels().size() == 3 && sdk.annotations().size() == 1, WAIT)).isTrue();
        assertThat(sdk.labels()).containsEntry(SDK_PREFIX + "protocol-3", "true")
                .containsEntry(SDK_PREFIX + "protocol-4", "true").containsEntry(SDK_PREFIX + "place", "test-place");
        assertThat(sdk.annotations()).containsEntry(SDK_PREFIX + "place-name", "Test place");
        Request ping = sdk.awaitRequest(call("POST", "/health"), WAIT).orElseThrow();
        assertThat(ping.json().isObject() && ping.json().isEmpty()).as("Health's body is {}").isTrue();
        assertThat(sdk.requests()).as("the place watches its GameServer")
                .anyMatch(call("GET", "/watch/gameserver"));
    }

    @Test
    void healthPingsStopWhileThePlaceLoopIsWedgedAndResumeAfter() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        Wedge wedge = new Wedge();
        TestPlace place = place(sdk.port(), Map.of(), wedge);
        assertThat(sdk.await(() -> sdk.count("POST", "/health") >= 5, WAIT)).as("pings while healthy").isTrue();

        wedge.jam();
        try {
            assertThat(sdk.awaitQuiet("POST", "/health", Duration.ofMillis(6 * HEALTH_INTERVAL_MS), WAIT))
                    .as("no Health ping for six intervals while the loop is stuck").isTrue();
            assertThat(readyz(place)).as("/readyz tells the same").isEqualTo(503);
        } finally {
            wedge.free();
        }
        long stopped = sdk.count("POST", "/health");
        assertThat(sdk.await(() -> sdk.count("POST", "/health") >= stopped + 3, WAIT)).as("pings resume").isTrue();
        assertThat(readyz(place)).isEqualTo(200);
    }

    @Test
    void thePlayersListFollowsAnnouncesAndLeavesOfRealClients() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of());
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();

        AlloClient annie = place.join("annie", visor("annie"));
        AlloClient bob = place.join("bob", ClientOptions.defaults("bob").withLayout(ChannelLayout.V3));
        place.connect(visor("lurker")); // connected, never announced: not a player
        Set<String> both = announcedAgents(place);
        assertThat(both).hasSize(2);
        assertThat(sdk.await(() -> sdk.listValues("players").equals(both), WAIT)).as("both in the List").isTrue();

        place.leave(annie);
        assertThat(sdk.await(() -> sdk.listValues("players").size() == 1, WAIT)).isTrue();
        assertThat(sdk.listValues("players")).isEqualTo(announcedAgents(place));
        place.leave(bob);
        assertThat(sdk.await(() -> sdk.listValues("players").isEmpty(), WAIT)).isTrue();
        assertThat(sdk.requests()).filteredOn(r -> r.path().equals("/v1beta1/lists/players:addValue"))
                .allSatisfy(r -> assertThat(r.json().fieldNames()).toIterable().containsExactly("value"));
    }

    @Test
    void aPlayersCounterCountsAnnouncedAgents() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of("fleet.players", "counter"));
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();

        AlloClient annie = place.join("annie", visor("annie"));
        place.join("bob", visor("bob"));
        assertThat(sdk.await(() -> sdk.counter("players") == 2, WAIT)).isTrue();
        place.leave(annie);

        assertThat(sdk.await(() -> sdk.counter("players") == 1, WAIT)).isTrue();
        assertThat(sdk.requests()).filteredOn(r -> r.method().equals("PATCH"))
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1beta1/counters/players"));
    }

    @Test
    void stoppingTheServerTellsAgonesShutdown() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of());
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();
        assertThat(sdk.count("POST", "/shutdown")).isZero();

        place.server().stop(Duration.ofMillis(200)); // what the daemon does on SIGTERM

        Request shutdown = sdk.awaitRequest(call("POST", "/shutdown"), WAIT).orElseThrow();
        assertThat(shutdown.json().isObject() && shutdown.json().isEmpty()).isTrue();
        assertThat(sdk.state()).isEqualTo("Shutdown");
        long pings = sdk.count("POST", "/health");
        assertThat(sdk.awaitQuiet("POST", "/health", Duration.ofMillis(5 * HEALTH_INTERVAL_MS), WAIT)).isTrue();
        assertThat(sdk.count("POST", "/health")).as("no pings after Shutdown").isLessThanOrEqualTo(pings + 1);
    }

    @Test
    void anAllocatedPlaceThatStaysEmptyGivesItselfBack() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of("fleet.empty_shutdown_ms", "300"));
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();
        assertThat(sdk.awaitRequest(call("POST", "/shutdown"), Duration.ofSeconds(1)))
                .as("a Ready place waits, empty, for its allocation").isEmpty();

        AlloClient annie = place.join("annie", visor("annie"));
        sdk.allocate(Map.of(), Map.of());
        assertThat(sdk.awaitRequest(call("POST", "/shutdown"), Duration.ofSeconds(1)))
                .as("an occupied place stays").isEmpty();
        long left = System.nanoTime();
        place.leave(annie);

        Request shutdown = sdk.awaitRequest(call("POST", "/shutdown"), WAIT).orElseThrow();
        assertThat(shutdown.atNanos() - left).as("only after 300 ms of emptiness")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(sdk.state()).isEqualTo("Shutdown");
    }

    @Test
    void anAllocationCanAskForTheEmptyPlaceTimer() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        place(sdk.port(), Map.of()); // configured: never
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();

        long allocated = System.nanoTime();
        sdk.allocate(Map.of(), Map.of(PlaceAssignment.EMPTY_SHUTDOWN_ANNOTATION, "250"));

        Request shutdown = sdk.awaitRequest(call("POST", "/shutdown"), WAIT).orElseThrow();
        assertThat(shutdown.atNanos() - allocated).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void anAllocationNamesThePlaceForVisorsThatComeAfterIt(ChannelLayout layout) throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of());
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();
        AlloClient early = place.connect(ClientOptions.defaults("early").withLayout(layout));
        assertThat(await("early's announce is answered", early.announce()).placeName()).isEqualTo("Test place");

        sdk.allocate(Map.of(PlaceAssignment.PLACE_LABEL, "standup"),
                Map.of(PlaceAssignment.NAME_ANNOTATION, "Team standup \u2615"));
        assertThat(sdk.await(() -> "team-standup".equals(sdk.labels().get(SDK_PREFIX + "place"))
                && "Team standup \u2615".equals(sdk.annotations().get(SDK_PREFIX + "place-name")), WAIT))
                .as("the place relabels itself").isTrue();

        AlloClient late = place.connect(ClientOptions.defaults("late").withLayout(layout));
        assertThat(await("late's announce is answered", late.announce()).placeName()).isEqualTo("Team standup \u2615");
        String avatar = late.avatarId();
        assertThat(place.mirrorOf(late, "its avatar", entities -> entities.containsKey(avatar)))
                .as("the renamed answer is still the whole announce: the world follows").containsKey("place");
        assertThat(place.admin().json("/api/place").path("name").asText()).as("the admin API shows the new name")
                .isEqualTo("Team standup \u2615");
    }

    @Test
    void anAllocationLabelAloneNamesThePlace() throws Exception {
        StandInAgonesSdk sdk = sidecar();
        TestPlace place = place(sdk.port(), Map.of());
        sdk.awaitRequest(call("POST", "/ready"), WAIT).orElseThrow();

        sdk.allocate(Map.of(PlaceAssignment.PLACE_LABEL, "lobby"), Map.of());
        assertThat(sdk.await(() -> "lobby".equals(sdk.annotations().get(SDK_PREFIX + "place-name")), WAIT)).isTrue();

        assertThat(place.join("annie", visor("annie")).avatarId()).isNotBlank();
        AlloClient bob = place.connect(visor("bob"));
        assertThat(await("bob's announce is answered", bob.announce()).placeName()).isEqualTo("lobby");
        assertThat(place.admin().json("/api/place").path("name").asText()).isEqualTo("lobby");
    }

    @Test
    void aSidecarThatStartsLateIsRetriedUntilItAnswers() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TestPlace place = place(port, Map.of());
        AlloClient annie = place.join("annie", visor("annie"));
        assertThat(annie.avatarId()).as("the place serves while the sidecar is missing").isNotBlank();
        Waits.wallClock(Duration.ofSeconds(1), "the sidecar starts late: the fleet's retries (100 ms, doubling) meet a closed port");

        sdk = StandInAgonesSdk.start(port);
        open.add(0, sdk); // closed after the place

        assertThat(sdk.awaitRequest(call("POST", "/ready"), WAIT)).isPresent();
        Set<String> present = announcedAgents(place);
        assertThat(sdk.await(() -> sdk.listValues("players").equals(present), WAIT))
                .as("who came meanwhile is reported").isTrue();
        assertThat(sdk.await(() -> sdk.labels().size() == 3, WAIT)).isTrue();
        assertThat(sdk.await(() -> sdk.count("POST", "/health") >= 3, WAIT)).isTrue();
        assertThat(sdk.count("POST", "/ready")).isEqualTo(1);
    }

    private static int readyz(TestPlace place) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + place.server().adminAddress().orElseThrow().getPort() + "/readyz");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Notes when the place loop first ran. */
    private static final class FirstTick implements PlaceExtension {
        final AtomicLong atNanos = new AtomicLong();

        @Override
        public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
            atNanos.compareAndSet(0, System.nanoTime());
        }
    }

    /** Holds the place thread inside a heartbeat while jammed: what a stuck handler would do. */
    private static final class Wedge implements PlaceExtension {
        private volatile CountDownLatch gate;

        void jam() {
            gate = new CountDownLatch(1);
        }

        void free() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        @Override
        public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
