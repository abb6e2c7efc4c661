package dev.alloplace.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.Grab;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Pose;
import dev.alloplace.state.StateSettings;
import dev.alloplace.state.World;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulation's numbers, checked against allonet's formulas with a stepped clock. */
class SimulationTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final World world = new World(StateSettings.defaults());
    private final SimWorld sim = new StoreSimWorld(world);
    private final AvatarMotion motion = new AvatarMotion(sim, SimSettings.defaults());

    private static ArrayNode array(double... values) {
        ArrayNode a = F.arrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static ObjectNode transform(double[] m) {
        ObjectNode t = F.objectNode();
        t.set("matrix", array(m));
        return t;
    }

    private void entity(String id, String owner, String parent, double[] matrix, Map<String, JsonNode> more) {
        Map<String, JsonNode> components = new LinkedHashMap<>(more);
        components.put("transform", transform(matrix));
        if (parent != null) {
            components.put("relationships", F.objectNode().put("parent", parent));
        }
        world.createEntity(id, owner, components);
    }

    private static Map<String, JsonNode> pose(String name) {
        return Map.of("intent", F.objectNode().put("actuate_pose", name));
    }

    private double[] matrix(String id) {
        return Transforms.matrixOf(world.entity(id).orElseThrow().components().get("transform").get("matrix"));
    }

    private static Intent sticks(String avatar, boolean wants, double x, double z, double yaw) {
        return new Intent(avatar, wants, x, z, yaw, 0, Map.of(), 0);
    }

    @Test
    void stickMovementMovesTwoMetresPerSecondScaledByTheStep() {
        entity("avatar", "ann", null, Mat4.identity(), Map.of());
        entity("head", "ann", "avatar", Mat4.translation(0, 1.6, 0), pose("head"));

        motion.stickMovement(sticks("avatar", true, 0, 1, 0), 0.1);

        assertThat(matrix("avatar")[14]).isCloseTo(0.2, within(1e-9));
        assertThat(matrix("avatar")[13]).as("no vertical drift").isCloseTo(0, within(1e-9));
        motion.stickMovement(sticks("avatar", true, 1, 0, 0), 0.05);
        assertThat(matrix("avatar")[12]).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void yawIsAbsoluteAndTurnsAroundTheHead() {
        entity("avatar", "ann", null, Mat4.translation(5, 0, 5), Map.of());
        entity("head", "ann", "avatar", Mat4.translation(0.3, 1.6, 0), pose("head"));
        double[] headBefore = Mat4.position(Mat4.multiply(matrix("avatar"), matrix("head")));

        motion.stickMovement(sticks("avatar", true, 0, 0, Math.PI / 2), 0.05);
        motion.stickMovement(sticks("avatar", true, 0, 0, Math.PI / 2), 0.05);

        double[] avatar = matrix("avatar");
        double[] expectedRotation = Mat4.rotation(Math.PI / 2, 0, -1, 0);
        for (int i : new int[] {0, 2, 8, 10}) {
            assertThat(avatar[i]).as("rotation element %d", i).isCloseTo(expectedRotation[i], within(1e-9));
        }
        double[] headAfter = Mat4.position(Mat4.multiply(avatar, matrix("head")));
        assertThat(headAfter[0]).isCloseTo(headBefore[0], within(1e-9));
        assertThat(headAfter[2]).isCloseTo(headBefore[2], within(1e-9));
    }

    @Test
    void noStickMovementWhenTheVisorMovesItself() {
        entity("avatar", "ann", null, Mat4.identity(), Map.of());
        motion.stickMovement(sticks("avatar", false, 1, 1, 1), 0.1);
        assertThat(matrix("avatar")).containsExactly(Mat4.identity());
    }

    @Test
    void posesDriveTheAvatarsOwnEntitiesOnly() {
        entity("avatar", "ann", null, Mat4.identity(), Map.of());
        entity("head", "ann", "avatar", Mat4.identity(), pose("head"));
        entity("hand", "ann", "avatar", Mat4.translation(9, 9, 9), pose("hand/left"));
        entity("other", "ann", "elsewhere", Mat4.identity(), pose("head"));
        double[] headPose = Mat4.translation(0, 1.7, -0.1);
        Intent intent = new Intent("avatar", false, 0, 0, 0, 0,
                Map.of("head", new Pose(headPose, null), "hand/left", new Pose(Mat4.identity(), null)), 0);

        motion.actuatePoses("ann", intent, List.of("avatar", "head", "hand", "other"), avatar -> Optional.empty());

        assertThat(matrix("head")).containsExactly(headPose);
        assertThat(matrix("hand")).as("an identity pose means 'not set'").containsExactly(Mat4.translation(9, 9, 9));
        assertThat(matrix("other")).as("not a child of this avatar").containsExactly(Mat4.identity());
    }

    @Test
    void aGrabbedEntityFollowsTheHandWithinItsConstraints() {
        entity("avatar", "ann", null, Mat4.translation(1, 0, 0), Map.of());
        entity("hand", "ann", "avatar", Mat4.translation(0, 1, 0), pose("hand/right"));
        ObjectNode grabbable = F.objectNode();
        grabbable.set("translation_constraint", array(1, 0, 1));
        entity("box", "bob", null, Mat4.translation(0, 0.5, 0), Map.of("grabbable", grabbable));
        entity("rock", "bob", null, Mat4.identity(), Map.of());
        double[] offset = Mat4.translation(0, 0, -0.5);
        Intent intent = new Intent("avatar", false, 0, 0, 0, 0, Map.of(
                "hand/right", new Pose(Mat4.identity(), new Grab("box", offset)),
                "hand/left", new Pose(Mat4.identity(), new Grab("rock", offset))), 0);

        motion.grab(intent);

        double[] box = matrix("box");
        assertThat(box[12]).isCloseTo(1, within(1e-9));
        assertThat(box[13]).as("y is constrained").isCloseTo(0.5, within(1e-9));
        assertThat(box[14]).isCloseTo(-0.5, within(1e-9));
        assertThat(matrix("rock")).as("not grabbable").containsExactly(Mat4.identity());
    }

    @Test
    void aNumberAnimationEasesAndEndsExactlyAtItsTarget() {
        ObjectNode spec = F.objectNode().put("path", "text.height").put("from", 0.0).put("to", 10.0)
                .put("start_at", 100.0).put("duration", 2.0).put("easing", "quadIn");
        ObjectNode animations = F.objectNode();
        animations.putObject("animations").set("abcdefgh", spec);
        world.createEntity("label", "ann", Map.of("text", F.objectNode().put("height", 0.0),
                "property_animations", animations));
        PropertyAnimations runner = new PropertyAnimations(SimSettings.defaults());

        runner.run(sim, 99.0);
        assertThat(height()).as("not started").isZero();
        runner.run(sim, 101.0);
        assertThat(height()).as("quadIn at half time").isCloseTo(2.5, within(1e-9));
        runner.run(sim, 103.0);
        assertThat(height()).isEqualTo(10.0);
        assertThat(world.entity("label").orElseThrow().components().get("property_animations").get("animations").size())
                .as("finished animations are removed").isZero();
    }

    @Test
    void repeatingAutoreversingTranslationRunsBackOnOddCycles() {
        ObjectNode spec = F.objectNode().put("path", "transform.matrix.translation.y").put("from", 0.0).put("to", 1.0)
                .put("start_at", 0.0).put("duration", 1.0).put("repeats", true).put("autoreverses", true);
        ObjectNode animations = F.objectNode();
        animations.putObject("animations").set("abcdefgh", spec);
        world.createEntity("lift", "ann", Map.of("transform", transform(Mat4.identity()), "property_animations", animations));
        PropertyAnimations runner = new PropertyAnimations(SimSettings.defaults());

        runner.run(sim, 0.25);
        assertThat(matrix("lift")[13]).isCloseTo(0.25, within(1e-9));
        runner.run(sim, 1.25);
        assertThat(matrix("lift")[13]).as("second cycle runs back").isCloseTo(0.75, within(1e-9));
        assertThat(matrix("lift")[0]).as("the rest of the matrix is kept").isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "linear, 0, 0.25, 0.5, 0.75, 1",
            "quadIn, 0, 0.0625, 0.25, 0.5625, 1",
            "quadOut, 0, 0.4375, 0.75, 0.9375, 1",
            "quadInOut, 0, 0.125, 0.5, 0.875, 1",
            "cubicIn, 0, 0.015625, 0.125, 0.421875, 1",
            "cubicOut, 0, 0.578125, 0.875, 0.984375, 1",
            "cubicInOut, 0, 0.0625, 0.5, 0.9375, 1.0",
            "quartIn, 0, 0.00390625, 0.0625, 0.31640625, 1",
            "quartOut, 0, 0.68359375, 0.9375, 0.99609375, 1",
            "quartInOut, 0, 0.03125, 0.5, 0.96875, 1",
            "quintIn, 0, 0.0009765625, 0.03125, 0.2373046875, 1",
            "quintOut, 0, 0.7626953125, 0.96875, 0.9990234375, 1",
            "quintInOut, 0, 0.015625, 0.5, 0.984375, 1.0",
            "sineIn, 0.0, 0.076120467489, 0.292893218813, 0.617316567635, 1.0",
            "sineOut, 0.0, 0.382683432365, 0.707106781187, 0.923879532511, 1.0",
            "sineInOut, 0.0, 0.146446609407, 0.5, 0.853553390593, 1.0",
            "circularIn, 0.0, 0.031754163448, 0.133974596216, 0.338562172234, 1.0",
            "circularOut, 0.0, 0.661437827766, 0.866025403784, 0.968245836552, 1.0",
            "circularInOut, 0.0, 0.066987298108, 0.5, 0.933012701892, 1.0",
            "expIn, 0, 0.005524271728, 0.03125, 0.176776695297, 1",
            "expOut, 0, 0.823223304703, 0.96875, 0.994475728272, 1",
            "expInOut, 0, 0.015625, 0.5, 0.984375, 1",
            "elasticIn, 0.0, -0.005103761582, -0.022097086912, 0.067649512518, 1.0",
            "elasticOut, 0.0, 0.932350487482, 1.022097086912, 1.005103761582, 1.0",
            "elasticInOut, 0.0, -0.011048543456, 0.5, 1.011048543456, 1.0",
            "backIn, 0.0, -0.161151695297, -0.375, -0.10845508589, 1.0",
            "backOut, 0.0, 1.10845508589, 1.375, 1.161151695297, 1.0",
            "backInOut, 0.0, -0.1875, 0.5, 1.1875, 1.0",
            "bounceOut, 0.0, 0.47265625, 0.71875, 0.958864265928, 1.0",
            "bounceIn, -0.0, 0.041135734072, 0.28125, 0.52734375, 1.0",
            "bounceInOut, -0.0, 0.140625, 0.5, 0.859375, 1.0"
    })
    void everyEasingGivesItsKnownValues(String name, double at0, double at25, double at50, double at75, double at100) {
        Easing easing = Easing.named(name);
        double[] expected = {at0, at25, at50, at75, at100};
        double[] times = {0, 0.25, 0.5, 0.75, 1};
        for (int i = 0; i < times.length; i++) {
            assertThat(easing.apply(times[i])).as("%s at %s", name, times[i]).isCloseTo(expected[i], within(1e-9));
        }
    }

    @Test
    void oneSecondAtFullStickForwardEndsTwoMetresAhead() {
        entity("avatar", "ann", null, Mat4.identity(), Map.of());
        entity("head", "ann", "avatar", Mat4.translation(0, 1.6, 0), pose("head"));
        for (int step = 0; step < 20; step++) {
            motion.stickMovement(sticks("avatar", true, 0, -1, 0), 0.05);
        }
        assertThat(matrix("avatar")[12]).isCloseTo(0, within(1e-6));
        assertThat(matrix("avatar")[14]).as("-Z is forward").isCloseTo(-2.0, within(1e-6));
    }

    @Test
    void positiveYawTurnsRightSoForwardBecomesPlusX() {
        entity("avatar", "ann", null, Mat4.identity(), Map.of());
        for (int step = 0; step < 10; step++) {
            motion.stickMovement(sticks("avatar", true, 0, -1, Math.PI / 2), 0.1);
        }
        assertThat(matrix("avatar")[12]).isCloseTo(2.0, within(1e-6));
        assertThat(matrix("avatar")[14]).isCloseTo(0, within(1e-6));
    }

    @Test
    void easingsMatchTheirFormulas() {
        assertThat(Easing.named("linear").apply(0.3)).isCloseTo(0.3, within(1e-12));
        assertThat(Easing.named("quadOut").apply(0.5)).isCloseTo(0.75, within(1e-12));
        assertThat(Easing.named("cubicInOut").apply(0.25)).isCloseTo(0.0625, within(1e-12));
        assertThat(Easing.named("sineIn").apply(1.0)).isCloseTo(1.0, within(1e-12));
        assertThat(Easing.named("bounceOut").apply(1.0)).isCloseTo(1.0, within(1e-12));
        assertThat(Easing.named("no-such-easing").apply(0.4)).as("unknown is linear").isCloseTo(0.4, within(1e-12));
    }

    private double height() {
        return world.entity("label").orElseThrow().components().get("text").get("height").asDouble();
    }
}
