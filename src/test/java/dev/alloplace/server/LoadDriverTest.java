package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alloplace.testing.NativePeers;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The C load driver (src/test/c/loaddriver.c) that scripts/bench runs against our place and the
 * allonet C server: its agents really join, move and ack over ENet, and what it reports is what
 * they observed. If it reported wrongly, every benchmark built on it would too.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class LoadDriverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path driver;

    @BeforeAll
    static void build() {
        driver = NativePeers.build("loaddriver");
    }

    private static JsonNode report(TestPlace place, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", "" + place.address().getPort()));
        args.addAll(List.of(options));
        try (NativePeers.Running run = NativePeers.start(driver, args.toArray(String[]::new))) {
            JsonNode report = JSON.readTree(run.awaitLine("{", 60_000));
            assertThat(run.awaitExit(10_000)).as("exit code").isZero();
            return report;
        }
    }

    @Test
    void movingAgentsAllAnnounceAndEachReceivesStateThroughoutTheRun(TestPlace place) throws Exception {
        JsonNode r = report(place, "--agents", "5", "--seconds", "3", "--warmup", "0.5");
        assertThat(r.path("mode").asText()).isEqualTo("move");
        assertThat(r.path("announced").asInt()).as("announced").isEqualTo(5);
        assertThat(r.path("starved").asInt()).as("agents that received nothing").isZero();
        assertThat(r.path("disconnected").asInt()).isZero();
        // 20 heartbeats a second for 3 s; a floor far below that, so a busy machine cannot fail it
        assertThat(r.path("updates_per_s").path("min").asDouble()).as("least updates/s of one agent").isGreaterThanOrEqualTo(5);
        // the intents move every avatar, so every diff carries five moving avatars' transforms
        // (a place whose avatars stand still sends ~100 bytes a diff: the clock and the revision)
        assertThat(r.path("bytes_per_s").path("min").asDouble() / r.path("updates_per_s").path("max").asDouble())
                .as("bytes per diff").isGreaterThan(500);
        assertThat(r.path("announce_ms").path("max").asDouble()).isBetween(0.0, 60_000.0);
        assertThat(r.path("sets").asLong()).as("a full state each, then merges from the acked revisions")
                .isGreaterThanOrEqualTo(5).isLessThan(r.path("updates").asLong() / 2);
    }

    @Test
    void protocolThreeAgentsUseTheFiveChannelLayoutAndAFixedWindowStart(TestPlace place) throws Exception {
        JsonNode r = report(place, "--agents", "2", "--seconds", "2", "--measure-after", "1.5", "--protocol", "3");
        assertThat(r.path("protocol").asInt()).isEqualTo(3);
        assertThat(r.path("seconds").asDouble()).as("the measured window").isGreaterThanOrEqualTo(2);
        assertThat(r.path("announced").asInt()).isEqualTo(2);
        assertThat(r.path("starved").asInt()).isZero();
    }

    @Test
    void aSpawnBurstIsAnsweredAndEveryEntityIsSeenInState(TestPlace place) throws Exception {
        JsonNode r = report(place, "--spawn", "300", "--timeout", "30");
        assertThat(r.path("answered").asInt()).isEqualTo(300);
        assertThat(r.path("errors").asInt()).as(r.path("first_error").asText()).isZero();
        assertThat(r.path("seen").asInt()).as("spawned entities seen in state").isEqualTo(300);
        assertThat(r.path("last_answer_ms").asDouble()).isPositive();
        assertThat(r.path("last_seen_ms").asDouble()).isGreaterThanOrEqualTo(r.path("last_answer_ms").asDouble());
        // the place, the avatar with head and hands, and the 300
        assertThat(r.path("entities").asInt()).isEqualTo(1 + 4 + 300);
    }

    @Test
    void latecomersTimeTheirFirstCompleteWorld(TestPlace place) throws Exception {
        JsonNode r = report(place, "--late-join", "200", "--populate", "--probes", "2", "--timeout", "30");
        assertThat(r.path("populate").path("errors").asInt()).isZero();
        assertThat(r.path("wanted").asInt()).as("what the populating agent held").isEqualTo(1 + 4 + 200);
        assertThat(r.path("full").asInt()).as("probes that got the whole world").isEqualTo(2);
        assertThat(r.path("full_bytes").path("min").asDouble()).as("a world of 200 entities is not small").isGreaterThan(200 * 50);
    }
}
