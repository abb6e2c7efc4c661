package dev.alloplace.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Short load-generator runs against a real place over ENet, read back from what they write. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private static LoadPlan plan(TestPlace place, int agents, int staticEntities, int seconds, double interactions,
            double churn) {
        InetSocketAddress admin = place.server().adminAddress().orElseThrow();
        return new LoadPlan(new InetSocketAddress("127.0.0.1", place.address().getPort()),
                URI.create("http://127.0.0.1:" + admin.getPort() + "/"), agents, staticEntities, Duration.ofSeconds(seconds),
                20, interactions, churn, 4, 0, false, Duration.ofSeconds(2));
    }

    @Test
    void withSignedIdentitiesEveryAgentJoinsVerifiedUnderItsOwnKey() throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("server.max_peers_per_address", "100"), List.of())) {
            LoadPlan unsigned = plan(place, 3, 0, 2, 0, 0);
            LoadPlan plan = new LoadPlan(unsigned.target(), unsigned.admin(), 3, 0, unsigned.duration(), 20, 0, 0, 4, 0, false,
                    Duration.ZERO, true);
            List<List<String>> keysSeen = new CopyOnWriteArrayList<>();

            LoadResult result = new LoadGenerator().run(plan, new LoadProgress() {
                @Override
                public void status(String what) {
                }

                @Override
                public void sample(Sample sample) {
                    try {
                        keysSeen.add(place.server().place().call(p -> p.agents().stream()
                                .filter(dev.alloplace.place.Agent::announced)
                                .map(agent -> String.valueOf(agent.verifiedKey())).toList()).get(5, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });

            assertThat(result.succeeded()).isTrue();
            assertThat(keysSeen).isNotEmpty().allSatisfy(keys -> assertThat(keys).hasSize(3)
                    .allSatisfy(key -> assertThat(key).as("verified").matches("[A-Za-z0-9_-]{43}")).doesNotHaveDuplicates());
        }
    }

    @Test
    void aShortRunMeasuresEverythingItReportsAndWritesItDown(@TempDir Path out) throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("server.max_peers_per_address", "100"), List.of())) {
            LoadPlan plan = plan(place, 6, 150, 4, 5, 30);
            List<Sample> progress = new ArrayList<>();
            List<String> statuses = new CopyOnWriteArrayList<>();

            LoadResult result = new LoadGenerator().run(plan, new LoadProgress() {
                @Override
                public void status(String what) {
                    statuses.add(what);
                }

                @Override
                public void sample(Sample sample) {
                    progress.add(sample);
                }
            });

            assertThat(result.succeeded()).isTrue();
            assertThat(result.errors()).as("no request failed").isZero();
            assertThat(result.disconnectsSeen()).as("nobody was dropped").isZero();
            assertThat(progress).as("one sample for every measured second, none skipped")
                    .extracting(Sample::second).startsWith(1, 2, 3, 4);
            assertThat(progress).allSatisfy(sample -> assertThat(sample.agentsConnected()).isBetween(5, 6));
            assertThat(progress.stream().mapToLong(Sample::diffsPerSecond).sum()).as("diffs were acknowledged").isPositive();
            assertThat(progress).as("each second's heartbeats, from the histogram (a reading late under load moves to the next second)")
                    .anySatisfy(sample -> assertThat(sample.heartbeatP50Millis()).isPresent());
            assertThat(progress).anySatisfy(sample -> assertThat(sample.serverCpuPercent()).isPresent());
            assertThat(progress).allSatisfy(sample -> sample.serverCpuPercent()
                    .ifPresent(cpu -> assertThat(cpu).as("measured from CPU time between readings").isBetween(0.0, 100.5)));
            assertThat(statuses).as("the warm-up reports its phases").anySatisfy(s -> assertThat(s).startsWith("building static entities"))
                    .anySatisfy(s -> assertThat(s).startsWith("late join: probe 7 of 7"))
                    .anySatisfy(s -> assertThat(s).startsWith("measuring"));
            assertThat(result.lateJoinMillis()).as("a latecomer got all 150 static entities").isPresent();
            assertThat(result.interactionP50Millis()).as("pokes were answered").isPresent();
            assertThat(result.interactionP99Millis().getAsDouble()).isGreaterThanOrEqualTo(result.interactionP50Millis().getAsDouble());
            assertThat(result.heartbeatP50Millis()).as("read from the place's histogram over the window").isPresent();
            assertThat(result.heartbeatsMeasured()).as("20 Hz for about 4 s").isBetween(40L, 160L);
            assertThat(result.heartbeatP99Millis().getAsDouble()).isGreaterThanOrEqualTo(result.heartbeatP50Millis().getAsDouble());
            assertThat(result.heartbeatCpuP50Millis()).as("the server's CPU ring reaches back a minute; not this window")
                    .isEmpty();
            assertThat(result.diffEfficiency()).isPresent();
            assertThat(result.bytesPerClientPerSecond()).isPositive();

            ResultWriter.write(result, out);
            JsonNode written = ProtocolJson.mapper().readTree(Files.readAllBytes(out.resolve("result.json")));
            assertThat(written.path("plan").path("agents").asInt()).isEqualTo(6);
            assertThat(written.path("plan").path("target").asText()).isEqualTo("127.0.0.1:" + place.address().getPort());
            assertThat(written.path("late_join_ms").asDouble()).isEqualTo(result.lateJoinMillis().getAsDouble());
            assertThat(written.path("heartbeat_cpu_p50_ms").isNull()).as("not measured is null").isTrue();
            assertThat(written.path("samples")).hasSize(progress.size());
            assertThat(written.path("samples").get(0).path("heartbeat_p50_ms").isNumber()).isTrue();
            assertSnakeCaseWithoutMinusOne(written, "result.json");
            for (String chart : List.of("heartbeat.png", "bandwidth.png", "cpu.png", "agents.png")) {
                byte[] png = Files.readAllBytes(out.resolve(chart));
                assertThat(png).as(chart).hasSizeGreaterThan(1000).startsWith(0x89, 'P', 'N', 'G');
            }
        }
    }

    private static void assertSnakeCaseWithoutMinusOne(JsonNode node, String where) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(field.getKey()).as(where + " names its fields in snake_case").matches("[a-z0-9_]+");
                assertSnakeCaseWithoutMinusOne(field.getValue(), where + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                assertSnakeCaseWithoutMinusOne(element, where + "[]");
            }
        } else if (node.isNumber()) {
            assertThat(node.asDouble()).as(where + " is measured, not -1").isNotEqualTo(-1.0);
        }
    }

    @Test
    void withNoPlaceAtThePortItSaysSoInOneSentence() throws Exception {
        int port;
        try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        LoadPlan plan = new LoadPlan(new InetSocketAddress("127.0.0.1", port), null, 2, 0, Duration.ofSeconds(5), 20, 0, 0,
                4, 0, false, Duration.ZERO);
        long started = System.nanoTime();

        assertThatThrownBy(() -> new LoadGenerator().run(plan, sample -> { }))
                .isInstanceOf(LoadFailedException.class)
                .hasMessage("no place answered at 127.0.0.1:" + port + " within 5 s; is the server running?");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void whenEveryAgentIsLostTheRunStopsEarlyAndFails() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            LoadPlan plan = plan(place, 3, 0, 60, 0, 0);
            int admin = place.server().adminAddress().orElseThrow().getPort();
            HttpClient http = HttpClient.newHttpClient();
            AtomicBoolean kicked = new AtomicBoolean();
            long started = System.nanoTime();

            LoadResult result = new LoadGenerator().run(plan, sample -> {
                if (sample.second() == 1 && kicked.compareAndSet(false, true)) {
                    new Thread(() -> kickEveryone(http, admin), "kicker").start();
                }
            });

            assertThat(result.stoppedEarly()).hasValueSatisfying(why -> assertThat(why).contains("every agent was disconnected"));
            assertThat(result.succeeded()).isFalse();
            assertThat(result.disconnectsSeen()).isEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("long before its 60 s").isLessThan(Duration.ofSeconds(30));
        }
    }

    private static void kickEveryone(HttpClient http, int admin) {
        try {
            JsonNode agents = ProtocolJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/api/agents")).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode agent : agents) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/api/agents/"
                        + agent.path("agent_id").asText() + "/kick")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void chartsAreTitledWithTheRunsParameters() {
        LoadPlan plan = new LoadPlan(new InetSocketAddress("127.0.0.1", 1), null, 50, 1000, Duration.ofSeconds(60), 20, 2.5, 0,
                3, 0, true, Duration.ZERO);
        assertThat(ResultWriter.parameters(plan))
                .isEqualTo("50 agents, 1000 static entities, 20 Hz intents (still), 2.50 requests/s per agent, protocol 3, 60 s");
    }
}
