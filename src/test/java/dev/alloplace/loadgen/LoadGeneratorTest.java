package dev.alloplace.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short load-generator run against a real place over ENet, read back from its result file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    @Test
    void aShortRunMeasuresEverythingItReportsAndWritesItDown(@TempDir Path out) throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("server.max_peers_per_address", "100"), List.of())) {
            InetSocketAddress admin = place.server().adminAddress().orElseThrow();
            LoadPlan plan = new LoadPlan(new InetSocketAddress("127.0.0.1", place.address().getPort()),
                    URI.create("http://127.0.0.1:" + admin.getPort() + "/"), 6, 150, Duration.ofSeconds(4), 20, 5, 30, 4, 0,
                    false, Duration.ofSeconds(2));
            List<Sample> progress = new ArrayList<>();

            LoadResult result = new LoadGenerator().run(plan, progress::add);

            assertThat(result.errors()).as("no request failed").isZero();
            assertThat(result.disconnectsSeen()).as("nobody was dropped").isZero();
            assertThat(progress).as("one progress line a second").hasSizeGreaterThanOrEqualTo(3);
            assertThat(progress).allSatisfy(sample -> assertThat(sample.agentsConnected()).isBetween(5, 6));
            assertThat(progress.stream().mapToLong(Sample::diffsPerSecond).sum()).as("diffs were acknowledged").isPositive();
            assertThat(result.lateJoinMillis()).as("a latecomer got all 150 static entities").isPositive();
            assertThat(result.interactionP50Millis()).as("pokes were answered").isPositive();
            assertThat(result.interactionP99Millis()).isGreaterThanOrEqualTo(result.interactionP50Millis());
            assertThat(result.heartbeatP50Millis()).as("read from the place's admin endpoint").isPositive();
            assertThat(result.diffEfficiency()).isPositive();
            assertThat(result.bytesPerClientPerSecond()).isPositive();

            ResultWriter.write(result, out);
            JsonNode written = ProtocolJson.mapper().readTree(Files.readAllBytes(out.resolve("result.json")));
            assertThat(written.path("plan").path("agents").asInt()).isEqualTo(6);
            assertThat(written.path("late_join_ms").asDouble()).isEqualTo(result.lateJoinMillis());
            for (String chart : List.of("heartbeat.png", "bandwidth.png", "cpu.png", "agents.png")) {
                byte[] png = Files.readAllBytes(out.resolve(chart));
                assertThat(png).as(chart).hasSizeGreaterThan(1000).startsWith(0x89, 'P', 'N', 'G');
            }
        }
    }
}
