package dev.alloplace.deploy;

import static dev.alloplace.deploy.FleetManifests.ROOT;
import static dev.alloplace.deploy.FleetManifests.documents;
import static dev.alloplace.deploy.FleetManifests.find;
import static dev.alloplace.deploy.FleetManifests.only;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.fleet.AgonesSettings;
import dev.alloplace.fleet.PlaceAssignment;
import dev.alloplace.protocol.ChannelLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files as written, without kubectl: every file parses, the kustomize base lists
 * files that exist, and its objects agree with the server (FleetKustomizeTest renders them too
 * where kubectl is installed).
 */
class FleetManifestsTest {

    private static List<JsonNode> base() throws Exception {
        JsonNode kustomization = documents(ROOT.resolve("base/kustomization.yaml")).get(0);
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = ROOT.resolve("base").resolve(resource.asText());
            assertThat(file).as("a resource of the base").exists();
            objects.addAll(documents(file));
        }
        return objects;
    }

    @Test
    void everyFileUnderDeployKubernetesIsYamlWithAKind() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : files) {
            for (JsonNode doc : documents(file)) {
                assertThat(doc.path("kind").asText()).as(file + " has a kind").isNotEmpty();
                assertThat(doc.path("apiVersion").asText()).as(file + " has an apiVersion").isNotEmpty();
            }
        }
    }

    @Test
    void theBaseIsAFleetOfPlacesWithABufferOfReadyOnes() throws Exception {
        List<JsonNode> objects = base();
        assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactlyInAnyOrder("Fleet", "FleetAutoscaler");
        JsonNode fleet = only(objects, "Fleet");

        Config config = FleetManifests.checkFleet(fleet);

        JsonNode port = fleet.path("spec").path("template").path("spec").path("ports").get(0);
        assertThat(port.path("portPolicy").asText()).isEqualTo("Dynamic");
        assertThat(config.get(Settings.FLEET_AGONES)).isEqualTo("auto");
        assertThat(config.get(Settings.FLEET_EMPTY_SHUTDOWN_MS)).as("rooms give their place back").isPositive();
        JsonNode autoscaler = only(objects, "FleetAutoscaler");
        assertThat(autoscaler.path("spec").path("policy").path("type").asText()).isEqualTo("Buffer");
        FleetManifests.checkAutoscaler(autoscaler, fleet);
    }

    @Test
    void theOverlaysBuildOnTheBaseAndPatchWhatItHas() throws Exception {
        JsonNode fleet = only(base(), "Fleet");
        for (String overlay : List.of("single-place", "player-capacity")) {
            Path dir = ROOT.resolve("overlays").resolve(overlay);
            JsonNode kustomization = documents(dir.resolve("kustomization.yaml")).get(0);
            assertThat(kustomization.path("resources").toString()).contains("../../base");
            for (JsonNode resource : kustomization.path("resources")) {
                assertThat(dir.resolve(resource.asText()).normalize()).exists();
            }
            for (JsonNode patch : kustomization.path("patches")) {
                String name = patch.has("target") ? patch.path("target").path("name").asText()
                        : documents(patch.path("patch").asText()).get(0).path("metadata").path("name").asText();
                assertThat(List.of("alloplace", "alloplace-buffer")).as("a patch of " + overlay + " targets the base")
                        .contains(name);
            }
        }
        JsonNode players = documents(ROOT.resolve("overlays/player-capacity/fleetautoscaler-players.yaml")).get(0);
        assertThat(players.path("spec").path("policy").path("type").asText()).isEqualTo("List");
        FleetManifests.checkAutoscaler(players, fleet);
    }

    @Test
    void theExampleAllocationFindsOrMakesARoomByLabel() throws Exception {
        JsonNode allocation = documents(ROOT.resolve("examples/gameserverallocation.yaml")).get(0);
        JsonNode fleet = only(base(), "Fleet");
        String fleetName = fleet.path("metadata").path("name").asText();
        assertThat(allocation.path("apiVersion").asText()).isEqualTo("allocation.agones.dev/v1");
        assertThat(allocation.path("kind").asText()).isEqualTo("GameServerAllocation");
        JsonNode spec = allocation.path("spec");
        String room = spec.path("metadata").path("labels").path(PlaceAssignment.PLACE_LABEL).asText();
        assertThat(room).isNotEmpty();
        assertThat(spec.path("metadata").path("annotations").path(PlaceAssignment.NAME_ANNOTATION).asText()).isNotEmpty();
        assertThat(spec.path("metadata").path("annotations").path(PlaceAssignment.EMPTY_SHUTDOWN_ANNOTATION).asText())
                .matches("\\d+");

        JsonNode existing = spec.path("selectors").get(0);
        assertThat(existing.path("gameServerState").asText()).isEqualTo("Allocated");
        assertThat(existing.path("matchLabels").path(PlaceAssignment.PLACE_LABEL).asText()).isEqualTo(room);
        assertThat(existing.path("matchLabels").path("agones.dev/fleet").asText()).isEqualTo(fleetName);
        AgonesSettings agones = AgonesSettings.from(FleetManifests.config(FleetManifests.placeContainer(fleet)),
                Map.of(AgonesSettings.HTTP_PORT_ENV, "1"));
        assertThat(existing.path("lists").path(agones.playersKey()).path("minAvailable").asInt()).isEqualTo(1);

        JsonNode fresh = spec.path("selectors").get(1);
        assertThat(fresh.path("gameServerState").asText()).isEqualTo("Ready");
        assertThat(fresh.path("matchLabels").path("agones.dev/fleet").asText()).isEqualTo(fleetName);
        fresh.path("matchLabels").fieldNames().forEachRemaining(label -> {
            if (label.startsWith("agones.dev/sdk-protocol-")) {
                int version = Integer.parseInt(label.substring("agones.dev/sdk-protocol-".length()));
                assertThat(ChannelLayout.forVersion(version)).as("a protocol the place labels itself with").isPresent();
            }
        });
    }

    @Test
    void theSinglePlaceOverlayKeepsItsDataOnAClaim() throws Exception {
        JsonNode claim = documents(ROOT.resolve("overlays/single-place/data-claim.yaml")).get(0);
        String kustomization = Files.readString(ROOT.resolve("overlays/single-place/kustomization.yaml"));
        assertThat(claim.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
        assertThat(kustomization).contains("claimName: " + claim.path("metadata").path("name").asText());
        assertThat(find(only(base(), "Fleet").path("spec").path("template").path("spec").path("template").path("spec")
                .path("volumes"), "name", "data").isObject()).as("the volume the overlay replaces").isTrue();
    }
}
