package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.testing.TestPlace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Place-owned entities: declared in a file, created by the place, kept in the data directory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlacePersistenceTest {

    @TempDir
    Path dir;

    @Test
    void declaredEntitiesAreCreatedSeenAndRestoredAfterARestart() throws Exception {
        Path specs = dir.resolve("entities.json");
        Files.writeString(specs, "[{\"id\":\"welcome-sign\",\"text\":{\"string\":\"Welcome\"},"
                + "\"children\":[{\"material\":{\"color\":[1,0,0,1]}}]}]");
        Path data = dir.resolve("data");
        Map<String, String> settings = Map.of("data_dir", data.toString(), "place.entities_file", specs.toString());
        try (TestPlace place = TestPlace.start(settings, List.of())) {
            AlloClient visitor = place.join("v", ClientOptions.defaults("v"));
            var seen = visitor.awaitState(entities -> entities.containsKey("welcome-sign")).get(5, TimeUnit.SECONDS);
            assertThat(seen.get("welcome-sign").path("components").path("text").path("string").asText()).isEqualTo("Welcome");
            assertThat(place.server().place().call(p -> p.world().entity("welcome-sign").orElseThrow().owner())
                    .get(5, TimeUnit.SECONDS)).isEqualTo("place");
        }
        Files.writeString(specs, "[]");
        try (TestPlace restarted = TestPlace.start(Map.of("data_dir", data.toString()), List.of())) {
            var world = restarted.server().place().call(p -> p.world().fullStateDocument()).get(5, TimeUnit.SECONDS);
            assertThat(world.path("entities").path("welcome-sign").path("components").path("text").path("string").asText())
                    .isEqualTo("Welcome");
            assertThat(world.path("entities").size()).as("place, sign and its child").isEqualTo(3);
        }
    }

    @Test
    void aCorruptPlaceFileStopsStartupNamingIt() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.write(data.resolve("place.json"), "{\"format\":1,\"entities\":[".getBytes(StandardCharsets.UTF_8));
        var config = ConfigLoader.load(Map.of("server.bind", "127.0.0.1", "server.port", "0", "admin.port", "-1",
                "data_dir", data.toString()), Map.of(), null);

        assertThatThrownBy(() -> PlaceServer.start(config))
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("place.json is corrupt")
                .satisfies(e -> assertThat(((ServerStartException) e).configurationProblem()).isTrue());
    }
}
