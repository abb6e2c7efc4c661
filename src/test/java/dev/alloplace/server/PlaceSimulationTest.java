package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Grab;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.Pose;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What visors feel: intents move avatars, poses move heads and hands, grabs and animations run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceSimulationTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final double[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

    private static ObjectNode avatarWithHeadAndHand() {
        ObjectNode avatar = F.objectNode();
        avatar.putObject("visor").put("display_name", "vera");
        ArrayNode children = avatar.putArray("children");
        children.addObject().putObject("intent").put("actuate_pose", "head");
        children.addObject().putObject("intent").put("actuate_pose", "hand/right");
        return avatar;
    }

    private static double[] translation(double x, double y, double z) {
        double[] m = IDENTITY.clone();
        m[12] = x;
        m[13] = y;
        m[14] = z;
        return m;
    }

    private static String childWithPose(Map<String, ObjectNode> entities, String parent, String pose) {
        return entities.values().stream()
                .filter(e -> parent.equals(e.path("components").path("relationships").path("parent").asText()))
                .filter(e -> pose.equals(e.path("components").path("intent").path("actuate_pose").asText()))
                .map(e -> e.path("id").asText()).findFirst().orElse(null);
    }

    private static double element(Map<String, ObjectNode> entities, String id, int index) {
        return entities.get(id).path("components").path("transform").path("matrix").path(index).asDouble();
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void sticksMoveTheAvatarAndPosesMoveTheHead(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera").withLayout(layout).withAvatar(avatarWithHeadAndHand()));
        String avatar = visor.avatarId();
        String head = await("vera's mirror has her head", visor.awaitProbe(entities -> childWithPose(entities, avatar, "head")));

        visor.setIntent(new Intent(null, true, 0, 1, 0, 0, Map.of("head", new Pose(translation(0, 1.7, 0), null)), 0));

        place.mirrorOf(visor, "her avatar moved half a metre forward", entities -> element(entities, avatar, 14) > 0.5);
        var state = place.mirrorOf(visor, "her head at 1.7 m", entities -> Math.abs(element(entities, head, 13) - 1.7) < 1e-9);
        assertThat(element(state, avatar, 13)).as("no vertical drift").isEqualTo(0.0);
    }

    @Test
    void eachVisorsPosesMoveOnlyItsOwnHead(TestPlace place) throws Exception {
        AlloClient vera = place.join("vera", ClientOptions.defaults("vera").withAvatar(avatarWithHeadAndHand()));
        AlloClient otto = place.join("otto", ClientOptions.defaults("otto").withAvatar(avatarWithHeadAndHand()));
        String veraHead = await("vera's head", vera.awaitProbe(entities -> childWithPose(entities, vera.avatarId(), "head")));
        String ottoHead = await("otto's head", vera.awaitProbe(entities -> childWithPose(entities, otto.avatarId(), "head")));

        vera.setIntent(new Intent(null, false, 0, 0, 0, 0, Map.of("head", new Pose(translation(0, 1.7, 0), null)), 0));
        otto.setIntent(new Intent(null, false, 0, 0, 0, 0, Map.of("head", new Pose(translation(0, 1.2, 0), null)), 0));

        var state = place.mirrorOf(vera, "both heads where their own visors hold them",
                entities -> Math.abs(element(entities, veraHead, 13) - 1.7) < 1e-9
                        && Math.abs(element(entities, ottoHead, 13) - 1.2) < 1e-9);
        assertThat(element(state, veraHead, 12)).isEqualTo(0.0);
        assertThat(element(state, ottoHead, 12)).isEqualTo(0.0);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void aHandMovesAGrabbableEntity(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient app = place.join("app");
        ObjectNode box = F.objectNode();
        box.putObject("grabbable");
        String boxId = place.ask(app, "spawn_entity", box).get(1).asText();
        AlloClient visor = place.join("vera", ClientOptions.defaults("vera").withLayout(layout).withAvatar(avatarWithHeadAndHand()));

        visor.setIntent(new Intent(null, false, 0, 0, 0, 0, Map.of("hand/right",
                new Pose(translation(0.2, 1.0, -0.3), new Grab(boxId, translation(0, 0, -0.5)))), 0));

        var state = place.mirrorOf(app, "the box in vera's hand", entities -> entities.containsKey(boxId)
                && Math.abs(element(entities, boxId, 14) - (-0.8)) < 1e-9);
        assertThat(element(state, boxId, 12)).isEqualTo(0.2);
        assertThat(element(state, boxId, 13)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void aPropertyAnimationRunsToItsEndAndIsRemoved(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient app = place.join("app", ClientOptions.defaults("app").withLayout(layout));
        String id = place.ask(app, "spawn_entity", F.objectNode()).get(1).asText();
        double now = await("the app's clock sync", app.syncClock()).serverTime();
        ObjectNode spec = F.objectNode().put("path", "transform.matrix.translation.x").put("from", 0.0).put("to", 3.0)
                .put("start_at", now).put("duration", 0.5).put("easing", "cubicOut");

        ArrayNode added = await("the place answers add_property_animation",
                app.request(id, "place", Interaction.body("add_property_animation", spec)));

        assertThat(added.get(1).asText()).isEqualTo("ok");
        String animation = added.get(2).asText();
        assertThat(animation).matches("[a-y]{8}");
        var done = place.mirrorOf(app, "the animation run to its end and removed", entities -> entities.containsKey(id)
                && element(entities, id, 12) == 3.0
                && !entities.get(id).path("components").path("property_animations").path("animations").has(animation));
        assertThat(done.get(id).path("components").path("property_animations").path("animations").size()).isZero();
        ArrayNode missing = await("the place answers remove_property_animation",
                app.request(id, "place", Interaction.body("remove_property_animation", animation)));
        assertThat(missing.toString()).contains("doesn't exist");
        ArrayNode invalid = await("the place answers an invalid animation",
                app.request(id, "place", Interaction.body("add_property_animation", F.objectNode().put("path", "x"))));
        assertThat(invalid.toString()).isEqualTo("[\"add_property_animation\",\"failed\",\"invalid argument\"]");
        ObjectNode badPath = F.objectNode().put("path", "transform.nothing.here").put("from", 0.0).put("to", 1.0);
        ArrayNode refused = await("the place answers an animation of a bad path",
                app.request(id, "place", Interaction.body("add_property_animation", badPath)));
        assertThat(refused.toString()).isEqualTo("[\"add_property_animation\",\"failed\",\"invalid path transform.nothing.here\"]");
        assertThat(place.component(id, "property_animations").orElseThrow().get("animations"))
                .as("nothing was added").isEmpty();
    }
}
