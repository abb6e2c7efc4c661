package dev.alloplace.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.PlaceUrl;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example clock in a place over real ENet, seen by a visor that pokes it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class ClockAppTest {

    private ClockApp clock;

    @AfterEach
    void stop() {
        if (clock != null) {
            clock.close();
        }
    }

    private static Optional<ObjectNode> face(Map<String, ObjectNode> entities, String faceId) {
        return Optional.ofNullable(entities.get(faceId));
    }

    private static String text(Map<String, ObjectNode> entities, String faceId) {
        return face(entities, faceId).map(e -> e.path("components").path("text").path("string").asText()).orElse("");
    }

    @Test
    void theClockShowsTheTimeAndSwitchesToTwelveHoursWhenPoked(TestPlace place) throws Exception {
        AlloClient visor = place.join("vera");

        clock = ClockApp.start(new PlaceUrl("127.0.0.1", place.address().getPort()), Optional.empty(), Optional.empty());
        String faceId = clock.faceId();

        Map<String, ObjectNode> seen = place.mirrorOf(visor, "the clock face showing the time",
                entities -> text(entities, faceId).matches("\\d\\d:\\d\\d:\\d\\d"));
        ObjectNode components = (ObjectNode) seen.get(faceId).path("components");
        assertThat(components.has("collider")).as("something to poke").isTrue();
        String avatarId = components.path("relationships").path("parent").asText();
        assertThat(seen).containsKey(avatarId);
        String first = text(seen, faceId);
        place.mirrorOf(visor, "the next second on the clock face", entities -> !text(entities, faceId).equals(first));

        assertThat(place.request(visor, faceId, Interaction.body("poke", true)).toString()).isEqualTo("[\"poke\",\"ok\"]");
        place.mirrorOf(visor, "the clock face in 12-hour time",
                entities -> text(entities, faceId).matches("\\d{1,2}:\\d\\d:\\d\\d [AP]M"));
        assertThat(place.request(visor, faceId, Interaction.body("tickle")).toString())
                .isEqualTo("[\"tickle\",\"failed\",\"the clock only understands poke\"]");

        clock.close();
        place.mirrorOf(visor, "neither the clock nor its face",
                entities -> !entities.containsKey(faceId) && !entities.containsKey(avatarId));
    }
}
