package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.Grab;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Pose;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one agent's intent does to its entities each heartbeat, as allonet's server does it:
 * stick movement of the avatar, pose actuation of the entities that follow a pose, and grabbing.
 */
final class AvatarMotion {

    static final String INTENT = "intent";
    static final String ACTUATE_POSE = "actuate_pose";
    private static final String[] HANDS = {"hand/left", "hand/right"};

    private final SimWorld world;
    private final Transforms transforms;
    private final SimSettings settings;

    AvatarMotion(SimWorld world, SimSettings settings) {
        this.world = world;
        this.transforms = new Transforms(world, settings);
        this.settings = settings;
    }

    /** Moves and turns the avatar from the sticks; {@code dt} is already capped. */
    void stickMovement(Intent intent, double dt) {
        String avatar = intent.entityId();
        if (avatar == null || !intent.wantsStickMovement() || !world.exists(avatar)) {
            return;
        }
        double distance = settings.stickSpeed() * dt;
        double[] head = posedChild(avatar, "head").map(transforms::local).orElseGet(Mat4::identity);
        double[] old = transforms.local(avatar);
        double[] position = Mat4.translation(old[12], old[13], old[14]);
        double[] before = Mat4.position(Mat4.multiply(old, head));
        double[] after = Mat4.position(Mat4.multiply(Mat4.multiply(position, movement(intent.yaw(), head, 0, 0)), head));
        double[] moved = Mat4.multiply(position,
                movement(intent.yaw(), head, intent.xmovement() * distance, intent.zmovement() * distance));
        double[] result = Mat4.multiply(
                Mat4.translation(before[0] - after[0], before[1] - after[1], before[2] - after[2]), moved);
        transforms.set(avatar, result);
    }

    /** {@code R · H · T(x,0,z) · H⁻¹ · T(0,-dy,0)} with R the yaw about -Y. */
    private static double[] movement(double yaw, double[] head, double x, double z) {
        double[] rotation = Mat4.rotation(yaw, 0, -1, 0);
        double[] m = Mat4.multiply(Mat4.multiply(Mat4.multiply(rotation, head), Mat4.translation(x, 0, z)),
                Mat4.inverse(head));
        double dy = Mat4.position(m)[1];
        return Mat4.multiply(m, Mat4.translation(0, -dy, 0));
    }

    /**
     * Gives every entity of {@code agent} that follows a pose the pose's matrix. {@code intents}
     * finds another agent's intent by avatar id for {@code intent.from_avatar}.
     */
    void actuatePoses(String agent, Intent intent, Iterable<String> ownedEntities,
            Function<String, Optional<Intent>> intentOfAvatar) {
        for (String entity : ownedEntities) {
            JsonNode spec = world.component(entity, INTENT).orElse(null);
            if (spec == null || !spec.path(ACTUATE_POSE).isTextual()) {
                continue;
            }
            String poseName = spec.path(ACTUATE_POSE).textValue();
            Intent source = intent;
            JsonNode fromAvatar = spec.get("from_avatar");
            if (fromAvatar != null && fromAvatar.isTextual() && !fromAvatar.textValue().isEmpty()) {
                Optional<Intent> other = intentOfAvatar.apply(fromAvatar.textValue());
                if (other.isEmpty()) {
                    continue;
                }
                source = other.get();
            } else {
                Optional<String> parent = world.parent(entity);
                boolean belongs = parent.isPresent() && !"root".equals(poseName)
                        ? parent.get().equals(intent.entityId())
                        : entity.equals(intent.entityId());
                if (!belongs) {
                    continue;
                }
            }
            Pose pose = source.poses().get(poseName);
            if (pose == null || Mat4.isIdentity(pose.matrix())) {
                continue;
            }
            transforms.set(entity, pose.matrix());
        }
    }

    /** Moves what each hand holds, honouring the grabbed entity's {@code grabbable}. */
    void grab(Intent intent) {
        String avatar = intent.entityId();
        if (avatar == null || !world.exists(avatar)) {
            return;
        }
        for (String hand : HANDS) {
            Pose pose = intent.poses().get(hand);
            Grab grab = pose == null ? null : pose.grab();
            if (grab == null) {
                continue;
            }
            Optional<String> grabber = posedChild(avatar, hand);
            JsonNode grabbable = world.component(grab.entity(), "grabbable").orElse(null);
            if (grabber.isEmpty() || grabbable == null || grab.entity().equals(avatar)) {
                continue;
            }
            String actuated = grab.entity();
            JsonNode actuateOn = grabbable.get("actuate_on");
            if (actuateOn != null && actuateOn.isTextual() && !actuateOn.textValue().isEmpty()) {
                actuated = "$parent".equals(actuateOn.textValue())
                        ? world.parent(grab.entity()).orElse(null) : actuateOn.textValue();
            }
            if (actuated == null || !world.exists(actuated)) {
                continue;
            }
            double[] grabbedTarget = Mat4.multiply(transforms.world(grabber.get()), grab.grabberFromEntityTransform());
            double[] actuatedWorld = actuated.equals(grab.entity()) ? grabbedTarget
                    : Mat4.multiply(Mat4.multiply(grabbedTarget, Mat4.inverse(transforms.world(grab.entity()))),
                            transforms.world(actuated));
            double[] local = Mat4.multiply(Mat4.inverse(transforms.parentWorld(actuated)), actuatedWorld);
            transforms.set(actuated, constrained(transforms.local(actuated), local, grabbable));
        }
    }

    /** Applies {@code translation_constraint} and {@code rotation_constraint} (each 3 numbers). */
    private static double[] constrained(double[] old, double[] wanted, JsonNode grabbable) {
        double[] t = Transforms.numbers(grabbable.get("translation_constraint"), 3);
        double[] r = Transforms.numbers(grabbable.get("rotation_constraint"), 3);
        if (t == null && r == null) {
            return wanted;
        }
        double[] tc = t == null ? new double[] {1, 1, 1} : t;
        double[] rc = r == null ? new double[] {1, 1, 1} : r;
        double[] translation = new double[3];
        for (int i = 0; i < 3; i++) {
            translation[i] = old[12 + i] * (1 - tc[i]) + wanted[12 + i] * tc[i];
        }
        AxisAngle from = Mat4.rotationOf(old);
        AxisAngle to = Mat4.rotationOf(wanted);
        double ax = from.x() * (1 - rc[0]) + to.x() * rc[0];
        double ay = from.y() * (1 - rc[1]) + to.y() * rc[1];
        double az = from.z() * (1 - rc[2]) + to.z() * rc[2];
        double length = Math.sqrt(ax * ax + ay * ay + az * az);
        double[] rotation = length < 1e-12 ? Mat4.identity() : Mat4.rotation(to.angle(), ax / length, ay / length, az / length);
        return Mat4.multiply(Mat4.translation(translation[0], translation[1], translation[2]), rotation);
    }

    /** The avatar's child entity that follows pose {@code name}. */
    private Optional<String> posedChild(String avatar, String name) {
        for (String child : world.children(avatar)) {
            JsonNode spec = world.component(child, INTENT).orElse(null);
            if (spec != null && name.equals(spec.path(ACTUATE_POSE).asText())) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }
}
