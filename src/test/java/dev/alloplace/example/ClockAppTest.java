package dev.alloplace.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.PlaceUrl;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.TestPlace;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example clock in a place over real ENet, seen by a visor that pokes it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClockAppTest {

    private TestPlace place;
    private ClockApp clock;

    @AfterEach
    void stop() {
        if (clock != null) {
            clock.close();
        }
        if (place != null) {
            place.close();
        }
    }

    private static Optional<ObjectNode> face(Map<String, ObjectNode> entities, String faceId) {
        return Optional.ofNullable(entities.get(faceId));
    }

    private static String text(Map<String, ObjectNode> entities, String faceId) {
        return face(entities, faceId).map(e -> e.path("components").path("text").path("string").asText()).orElse("");
    }

    @Test
    void theClockShowsTheTimeAndSwitchesToTwelveHoursWhenPoked() throws Exception {
        place = TestPlace.start();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera"));

        clock = ClockApp.start(new PlaceUrl("127.0.0.1", place.address().getPort()), Optional.empty(), Optional.empty());
        String faceId = clock.faceId();

        Map<String, ObjectNode> seen = visor.awaitState(entities -> text(entities, faceId).matches("\\d\\d:\\d\\d:\\d\\d"))
                .get(10, TimeUnit.SECONDS);
        ObjectNode components = (ObjectNode) seen.get(faceId).path("components");
        assertThat(components.has("collider")).as("something to poke").isTrue();
        String avatarId = components.path("relationships").path("parent").asText();
        assertThat(seen).containsKey(avatarId);
        String first = text(seen, faceId);
        visor.awaitState(entities -> !text(entities, faceId).equals(first)).get(10, TimeUnit.SECONDS);

        assertThat(visor.request(faceId, Interaction.body("poke", true)).get(10, TimeUnit.SECONDS).toString())
                .isEqualTo("[\"poke\",\"ok\"]");
        visor.awaitState(entities -> text(entities, faceId).matches("\\d{1,2}:\\d\\d:\\d\\d [AP]M")).get(10, TimeUnit.SECONDS);
        assertThat(visor.request(faceId, Interaction.body("tickle")).get(10, TimeUnit.SECONDS).toString())
                .isEqualTo("[\"tickle\",\"failed\",\"the clock only understands poke\"]");

        clock.close();
        visor.awaitState(entities -> !entities.containsKey(faceId) && !entities.containsKey(avatarId)).get(10, TimeUnit.SECONDS);
    }
}
