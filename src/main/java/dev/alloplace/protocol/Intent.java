package dev.alloplace.protocol;

import java.util.Map;

/**
 * The latest per-frame wishes of one agent, as parsed from its {@code intent} message.
 * Missing fields take the allonet defaults (stick movement wanted, zero sticks, no poses).
 *
 * @param entityId the agent's avatar id; the place overwrites whatever the client sent
 * @param poses by pose name: {@code root}, {@code head}, {@code torso}, {@code hand/left},
 *     {@code hand/right}
 * @param ackStateRev the last state revision the client holds, 0 to ask for a full state
 */
public record Intent(
        String entityId,
        boolean wantsStickMovement,
        double xmovement,
        double zmovement,
        double yaw,
        double pitch,
        Map<String, Pose> poses,
        long ackStateRev) {

    public static final Intent EMPTY = new Intent(null, true, 0, 0, 0, 0, Map.of(), 0);

    public Intent {
        poses = Map.copyOf(poses);
    }

    public Intent withEntityId(String avatarId) {
        return new Intent(avatarId, wantsStickMovement, xmovement, zmovement, yaw, pitch, poses, ackStateRev);
    }
}
