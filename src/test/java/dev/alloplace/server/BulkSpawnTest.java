package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.place.LoopHealth;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An app building a scene sends ten thousand spawn requests at once (issue 20's bulk spawn): in
 * a quiet place they are all handled on time nobody else wants, within the world's write burst,
 * while the heartbeat still runs on time for everyone else. Counted in heartbeats of a stepped
 * clock, not in seconds; how fast it is in seconds is {@code scripts/bench cdriver}'s spawn row.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class BulkSpawnTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int SPAWNS = 10_000;

    @Test
    @PlaceConfig(manualClock = true)
    void tenThousandSpawnsSentAtOnceNeedNoExtraHeartbeatAndTheOthersDiffsGoOnMeanwhile(TestPlace place, ManualClock clock)
            throws Exception {
        AlloClient app = place.join("scene builder");
        AlloClient walker = place.join("walker");
        place.heartbeats(2);
        place.mirrorOf(walker, "the scene builder's avatar", mirror -> mirror.containsKey(app.avatarId()));

        // The requests all arrive while the loop is busy elsewhere, so what follows does not
        // depend on how fast the network delivers them.
        CompletableFuture<LoopHealth> beat = place.place().nextHeartbeat();
        CountDownLatch release = new CountDownLatch(1);
        place.place().call(p -> hold(release));
        List<CompletableFuture<ArrayNode>> answers = new ArrayList<>();
        for (int i = 0; i < SPAWNS; i++) {
            ObjectNode spec = F.objectNode();
            spec.putObject("geometry").put("type", "hardcoded-model").put("name", "box");
            spec.putObject("block").put("i", i);
            answers.add(app.request("place", Interaction.body("spawn_entity", spec)));
        }
        Waits.until("the place holds the 10,000 requests", () -> place.place().health().backlogMessages() >= SPAWNS);
        long heartbeatsBefore = place.place().stats().heartbeats();
        clock.advance(Duration.ofMillis(50));
        release.countDown();

        LoopHealth atTheHeartbeat = await("the heartbeat due when the loop is free", beat);
        assertThat(atTheHeartbeat.backlogMessages()).as("the heartbeat ran on time: it did not wait for the spawns")
                .isGreaterThan(SPAWNS / 2);
        List<String> refusals = new ArrayList<>();
        for (CompletableFuture<ArrayNode> answer : answers) {
            ArrayNode body = await("a spawn is answered with no further heartbeat", answer);
            if (body.size() != 2 || !"spawn_entity".equals(body.get(0).asText())) {
                refusals.add(body.toString());
            }
        }
        assertThat(refusals).as("within the write burst: every spawn succeeds").isEmpty();
        assertThat(place.place().stats().heartbeats() - heartbeatsBefore)
                .as("handled on spare time, not a heartbeat's budget at a time (that would take ten)").isEqualTo(1);

        place.heartbeats(1);
        place.mirrorOf(walker, "the whole scene one heartbeat later", mirror -> mirror.size() >= SPAWNS + 3);
        int owned = place.onPlace(p -> p.world().countOwnedBy(p.agents().stream()
                .filter(a -> "scene builder".equals(a.displayName())).findFirst().orElseThrow().id()));
        assertThat(owned).isEqualTo(SPAWNS + 1);
    }

    /** Holds the place thread until {@code latch} opens. */
    private static Void hold(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
