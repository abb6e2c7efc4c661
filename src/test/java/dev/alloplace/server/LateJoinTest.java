package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.TestPlace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A newcomer gets the world right after its announce answer, not at the next heartbeat, and
 * the world it gets is exactly a closed revision. The heartbeat here is one a second, so "right
 * after" and "at the next heartbeat" are far apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateJoinTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void aNewcomerGetsTheWorldWithoutWaitingForAHeartbeat() throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("place.heartbeat_hz", "1"), List.of())) {
            AlloClient builder = place.join("builder", ClientOptions.defaults("builder"));
            awaitNextHeartbeat(builder);
            ObjectNode spec = F.objectNode();
            spec.putObject("text").put("string", "made just now");
            String made = builder.request("place", Interaction.body("spawn_entity", spec)).get(5, TimeUnit.SECONDS).get(1).asText();
            String gone = builder.request("place", Interaction.body("spawn_entity", F.objectNode())).get(5, TimeUnit.SECONDS).get(1).asText();
            builder.request("place", Interaction.body("remove_entity", gone)).get(5, TimeUnit.SECONDS);

            AlloClient newcomer = place.connect(ClientOptions.defaults("newcomer"));
            long announced = System.nanoTime();
            newcomer.announce().get(5, TimeUnit.SECONDS);
            Map<String, ObjectNode> world = newcomer.awaitState(entities -> entities.containsKey(newcomer.avatarId()))
                    .get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - announced) / 1_000_000;

            assertThat(tookMillis).as("well before the next heartbeat (one a second)").isLessThan(700);
            assertThat(world).containsKeys(made, builder.avatarId(), newcomer.avatarId()).doesNotContainKey(gone);
            assertThat(world.get(made).path("components").path("text").path("string").asText()).isEqualTo("made just now");
        }
    }

    /** The builder's own early world used this heartbeat's early revision; the next one is free. */
    private static void awaitNextHeartbeat(AlloClient client) throws Exception {
        client.awaitState(entities -> entities.containsKey(client.avatarId())).get(5, TimeUnit.SECONDS);
        long first = client.revision().get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.revision().get(5, TimeUnit.SECONDS) == first && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondNewcomerBetweenHeartbeatsGetsACompleteWorldAtTheNextOne() throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("place.heartbeat_hz", "1"), List.of())) {
            AlloClient first = place.join("first", ClientOptions.defaults("first"));
            AlloClient second = place.join("second", ClientOptions.defaults("second"));
            Map<String, ObjectNode> world = second.awaitState(entities -> entities.containsKey(second.avatarId()))
                    .get(5, TimeUnit.SECONDS);
            assertThat(world).containsKeys(first.avatarId(), second.avatarId());
            assertThat(first.awaitState(entities -> entities.containsKey(second.avatarId())).get(5, TimeUnit.SECONDS))
                    .containsKeys(first.avatarId(), second.avatarId());
        }
    }

    @Test
    void changesAfterTheEarlyWorldArriveAsMergesFromIt() throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("place.heartbeat_hz", "2"), List.of())) {
            AlloClient builder = place.join("builder", ClientOptions.defaults("builder"));
            AlloClient newcomer = place.join("newcomer", ClientOptions.defaults("newcomer"));
            newcomer.awaitState(entities -> entities.containsKey(newcomer.avatarId())).get(5, TimeUnit.SECONDS);
            ObjectNode spec = F.objectNode();
            spec.putObject("text").put("string", "later");
            String later = builder.request("place", Interaction.body("spawn_entity", spec)).get(5, TimeUnit.SECONDS).get(1).asText();
            Map<String, ObjectNode> world = newcomer.awaitState(entities -> entities.containsKey(later)).get(5, TimeUnit.SECONDS);
            assertThat(world).containsKeys(builder.avatarId(), newcomer.avatarId(), later);
            assertThat(newcomer.diffCounters().get(5, TimeUnit.SECONDS)[1]).as("every merge applied to the early world").isZero();
        }
    }
}
