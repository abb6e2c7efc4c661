package dev.alloplace.deploy;

import static dev.alloplace.deploy.FleetManifests.ROOT;
import static dev.alloplace.deploy.FleetManifests.find;
import static dev.alloplace.deploy.FleetManifests.ofKind;
import static dev.alloplace.deploy.FleetManifests.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@code kubectl kustomize} renders from deploy/kubernetes; skipped where kubectl is not installed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetKustomizeTest {

    @BeforeAll
    static void kubectlIsThere() {
        assumeTrue(kubectl("version", "--client") != null,
                "kubectl is not installed: the kustomize render of deploy/kubernetes is not checked "
                        + "(FleetManifestsTest still checks the files as written)");
    }

    /** kubectl's output, or null when it cannot run or fails. */
    private static String kubectl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "kubectl";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<JsonNode> render(String dir) throws IOException {
        String out = kubectl("kustomize", ROOT.resolve(dir).toString());
        assertThat(out).as("kubectl kustomize " + dir + " succeeds").isNotNull();
        return FleetManifests.documents(out);
    }

    @Test
    void theBaseRendersToAFleetAndABufferAutoscaler() throws Exception {
        List<JsonNode> objects = render("base");

        assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactlyInAnyOrder("Fleet", "FleetAutoscaler");
        JsonNode fleet = only(objects, "Fleet");
        FleetManifests.checkFleet(fleet);
        assertThat(fleet.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText()).isEqualTo("alloplace");
        FleetManifests.checkAutoscaler(only(objects, "FleetAutoscaler"), fleet);
    }

    @Test
    void theSinglePlaceOverlayRendersOnePlaceOnAFixedPortWithItsClaim() throws Exception {
        List<JsonNode> objects = render("overlays/single-place");

        assertThat(ofKind(objects, "FleetAutoscaler")).as("no autoscaler for one place").isEmpty();
        JsonNode fleet = only(objects, "Fleet");
        Config config = FleetManifests.checkFleet(fleet);
        assertThat(fleet.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(fleet.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        JsonNode port = fleet.path("spec").path("template").path("spec").path("ports").get(0);
        assertThat(port.path("portPolicy").asText()).isEqualTo("Static");
        assertThat(port.path("hostPort").asInt()).isEqualTo(Settings.PORT.defaultValue());
        assertThat(config.get(Settings.PLACE_NAME)).isEqualTo("Lobby");
        JsonNode volume = find(fleet.path("spec").path("template").path("spec").path("template").path("spec")
                .path("volumes"), "name", "data");
        String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
        assertThat(only(objects, "PersistentVolumeClaim").path("metadata").path("name").asText()).isEqualTo(claim);
    }

    @Test
    void thePlayerCapacityOverlayScalesOnTheListInstead() throws Exception {
        List<JsonNode> objects = render("overlays/player-capacity");

        JsonNode fleet = only(objects, "Fleet");
        FleetManifests.checkFleet(fleet);
        JsonNode autoscaler = only(objects, "FleetAutoscaler");
        assertThat(autoscaler.path("spec").path("policy").path("type").asText()).isEqualTo("List");
        FleetManifests.checkAutoscaler(autoscaler, fleet);
    }
}
