package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.testing.TestPlace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try (TestPlace place = TestPlace.builder().set("data_dir", data).set("place.entities_file", specs).start()) {
            AlloClient visitor = place.join("v");
            var seen = place.mirrorOf(visitor, "the welcome sign", entities -> entities.containsKey("welcome-sign"));
            assertThat(seen.get("welcome-sign").path("components").path("text").path("string").asText()).isEqualTo("Welcome");
            String owner = place.onPlace(p -> p.world().entity("welcome-sign").orElseThrow().owner());
            assertThat(owner).isEqualTo("place");
        }
        Files.writeString(specs, "[]");
        try (TestPlace restarted = TestPlace.builder().set("data_dir", data).start()) {
            JsonNode world = restarted.onPlace(p -> p.world().fullStateDocument());
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
