package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Pose;
import dev.alloplace.state.StateSettings;
import dev.alloplace.state.World;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Simulation cost per heartbeat for `scripts/bench sim`: 200 agents moving with sticks and head
 * and hand poses, 1,000 entities each running a property animation, 20 Hz steps.
 */
public final class SimBench {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SimBench() {
    }

    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int animated = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        World world = new World(StateSettings.defaults());
        SimWorld sim = new StoreSimWorld(world);
        SimSettings settings = SimSettings.defaults();
        AvatarMotion motion = new AvatarMotion(sim, settings);
        PropertyAnimations animations = new PropertyAnimations(settings);
        String[] avatars = new String[agents];
        for (int a = 0; a < agents; a++) {
            avatars[a] = "avatar" + a;
            world.createEntity(avatars[a], "agent" + a, Map.of("transform", transform()));
            for (String pose : new String[] {"head", "hand/left", "hand/right"}) {
                Map<String, JsonNode> c = new LinkedHashMap<>();
                c.put("transform", transform());
                c.put("intent", F.objectNode().put("actuate_pose", pose));
                c.put("relationships", F.objectNode().put("parent", avatars[a]));
                world.createEntity(avatars[a] + pose, "agent" + a, c);
            }
        }
        for (int e = 0; e < animated; e++) {
            ObjectNode spec = F.objectNode().put("path", e % 2 == 0 ? "transform.matrix.rotation.y" : "transform.matrix.translation.y")
                    .put("from", 0.0).put("to", 1.0).put("start_at", 0.0).put("duration", 2.0)
                    .put("repeats", true).put("autoreverses", true).put("easing", "sineInOut");
            ObjectNode component = F.objectNode();
            component.putObject("animations").set("anim" + e, spec);
            world.createEntity("thing" + e, "place", Map.of("transform", transform(), "property_animations", component));
        }
        int warmup = 600;
        int measured = 1200;
        long[] nanos = new long[measured];
        double time = 0;
        for (int tick = 0; tick < warmup + measured; tick++) {
            time += 0.05;
            long start = System.nanoTime();
            for (int a = 0; a < agents; a++) {
                double phase = time + a;
                Map<String, Pose> poses = Map.of(
                        "head", new Pose(translation(0, 1.6 + 0.01 * Math.sin(phase), 0), null),
                        "hand/left", new Pose(translation(-0.3, 1.0, -0.2 + 0.01 * Math.cos(phase)), null),
                        "hand/right", new Pose(translation(0.3, 1.0, -0.2 + 0.01 * Math.sin(phase)), null));
                Intent intent = new Intent(avatars[a], true, 0.2, -0.8, Math.sin(phase), 0, poses, 0);
                motion.stickMovement(intent, 0.05);
                motion.actuatePoses("agent" + a, intent, world.ownedBy("agent" + a), avatar -> Optional.empty());
                motion.grab(intent);
            }
            animations.run(sim, time);
            long took = System.nanoTime() - start;
            world.closeRevision();
            if (tick >= warmup) {
                nanos[tick - warmup] = took;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("sim agents=%d animations=%d heartbeat_p50_ms=%.3f heartbeat_p99_ms=%.3f%n", agents, animated,
                nanos[measured / 2] / 1e6, nanos[(int) (measured * 0.99)] / 1e6);
    }

    private static ObjectNode transform() {
        ObjectNode t = F.objectNode();
        t.set("matrix", matrix(Mat4.identity()));
        return t;
    }

    private static double[] translation(double x, double y, double z) {
        return Mat4.translation(x, y, z);
    }

    private static ArrayNode matrix(double[] m) {
        ArrayNode a = F.arrayNode();
        for (double v : m) {
            a.add(v);
        }
        return a;
    }
}
