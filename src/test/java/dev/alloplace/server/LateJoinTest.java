package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A newcomer gets the world right after its announce answer, not at the next heartbeat, and
 * the world it gets is exactly a closed revision. The heartbeat here is one a second, so "right
 * after" and "at the next heartbeat" are far apart; on a manual clock, "right after" means before
 * the test lets another heartbeat happen.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
@PlaceConfig("place.heartbeat_hz=1")
class LateJoinTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    @PlaceConfig(value = "place.heartbeat_hz=1", manualClock = true)
    void aNewcomerGetsTheWorldWithoutWaitingForAHeartbeat(TestPlace place) throws Exception {
        AlloClient builder = place.join("builder");
        place.mirrorOf(builder, "its avatar", entities -> entities.containsKey(builder.avatarId()));
        place.heartbeats(1); // the builder's own early world used this heartbeat's early revision; the next one is free
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", "made just now");
        String made = place.ask(builder, "spawn_entity", spec).get(1).asText();
        String gone = place.ask(builder, "spawn_entity", F.objectNode()).get(1).asText();
        place.ask(builder, "remove_entity", gone);

        long heartbeatsBefore = place.place().stats().heartbeats();
        AlloClient newcomer = place.join("newcomer");
        Map<String, ObjectNode> world = place.mirrorOf(newcomer, "its avatar",
                entities -> entities.containsKey(newcomer.avatarId()));

        assertThat(place.place().stats().heartbeats()).as("no heartbeat ran meanwhile").isEqualTo(heartbeatsBefore);
        assertThat(world).containsKeys(made, builder.avatarId(), newcomer.avatarId()).doesNotContainKey(gone);
        assertThat(world.get(made).path("components").path("text").path("string").asText()).isEqualTo("made just now");
    }

    @Test
    void aSecondNewcomerBetweenHeartbeatsGetsACompleteWorldAtTheNextOne(TestPlace place) throws Exception {
        AlloClient first = place.join("first");
        AlloClient second = place.join("second");
        Map<String, ObjectNode> world = place.mirrorOf(second, "its avatar",
                entities -> entities.containsKey(second.avatarId()));
        assertThat(world).containsKeys(first.avatarId(), second.avatarId());
        assertThat(place.mirrorOf(first, "the second's avatar", entities -> entities.containsKey(second.avatarId())))
                .containsKeys(first.avatarId(), second.avatarId());
    }

    @Test
    @PlaceConfig("place.heartbeat_hz=2")
    void changesAfterTheEarlyWorldArriveAsMergesFromIt(TestPlace place) throws Exception {
        AlloClient builder = place.join("builder");
        AlloClient newcomer = place.join("newcomer");
        place.mirrorOf(newcomer, "its avatar", entities -> entities.containsKey(newcomer.avatarId()));
        ObjectNode spec = F.objectNode();
        spec.putObject("text").put("string", "later");
        String later = place.ask(builder, "spawn_entity", spec).get(1).asText();
        Map<String, ObjectNode> world = place.mirrorOf(newcomer, "the later entity", entities -> entities.containsKey(later));
        assertThat(world).containsKeys(builder.avatarId(), newcomer.avatarId(), later);
        assertThat(await("the newcomer's diff counters", newcomer.diffCounters())[1])
                .as("every merge applied to the early world").isZero();
    }
}
