package dev.alloplace.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code {"cmd":"intent","intent":{...}}} messages. Reading is lenient the way
 * allonet's defaults are: absent sticks are 0, absent {@code wants_stick_movement} is true, a
 * malformed matrix is the identity, skeletons and poses the protocol does not name are ignored.
 */
public final class IntentCodec {

    private static final double[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    /**
     * The poses the protocol defines ({@code intent.actuate_pose} names one of them). Only these
     * are kept: an intent naming thousands of others would otherwise cost a matrix each, held
     * until the agent's next intent.
     */
    public static final List<String> POSE_NAMES = List.of("root", "head", "torso", "hand/left", "hand/right");

    private IntentCodec() {
    }

    public static ParseResult<Intent> decode(JsonNode message) {
        if (!message.isObject() || !"intent".equals(message.path("cmd").asText())) {
            return ParseResult.failure("expected {\"cmd\":\"intent\",...}");
        }
        JsonNode intent = message.get("intent");
        if (intent == null || !intent.isObject()) {
            return ParseResult.failure("the 'intent' field must be an object");
        }
        Map<String, Pose> poses = new LinkedHashMap<>();
        JsonNode posesJson = intent.path("poses");
        if (posesJson.isObject()) {
            for (String name : POSE_NAMES) {
                JsonNode pose = posesJson.get(name);
                if (pose != null && pose.isObject()) {
                    poses.put(name, decodePose(pose));
                }
            }
        }
        JsonNode ack = intent.path("ack_state_rev");
        long ackRev = ack.isNumber() && ack.asDouble() >= 0 ? (long) ack.asDouble() : 0;
        JsonNode wants = intent.path("wants_stick_movement");
        return ParseResult.success(new Intent(null,
                !wants.isBoolean() || wants.booleanValue(),
                number(intent, "xmovement"), number(intent, "zmovement"),
                number(intent, "yaw"), number(intent, "pitch"),
                poses, ackRev));
    }

    public static ObjectNode encode(Intent intent) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        body.put("wants_stick_movement", intent.wantsStickMovement());
        body.put("xmovement", intent.xmovement());
        body.put("zmovement", intent.zmovement());
        body.put("yaw", intent.yaw());
        body.put("pitch", intent.pitch());
        ObjectNode poses = body.putObject("poses");
        intent.poses().forEach((name, pose) -> {
            ObjectNode poseJson = poses.putObject(name);
            poseJson.set("matrix", matrix(pose.matrix()));
            ObjectNode grab = poseJson.putObject("grab");
            if (pose.grab() != null) {
                grab.put("entity", pose.grab().entity());
                grab.set("grabber_from_entity_transform", matrix(pose.grab().grabberFromEntityTransform()));
            }
        });
        body.put("ack_state_rev", intent.ackStateRev());
        if (intent.entityId() != null) {
            body.put("entity_id", intent.entityId());
        }
        ObjectNode message = f.objectNode();
        message.put("cmd", "intent");
        message.set("intent", body);
        return message;
    }

    private static Pose decodePose(JsonNode pose) {
        Grab grab = null;
        JsonNode grabJson = pose.path("grab");
        if (grabJson.path("entity").isTextual() && !grabJson.path("entity").textValue().isEmpty()) {
            grab = new Grab(grabJson.get("entity").textValue(), readMatrix(grabJson.get("grabber_from_entity_transform")));
        }
        return new Pose(readMatrix(pose.get("matrix")), grab);
    }

    /** 16 finite numbers, or the identity. */
    public static double[] readMatrix(JsonNode json) {
        if (json == null || !json.isArray() || json.size() != 16) {
            return IDENTITY.clone();
        }
        double[] matrix = new double[16];
        for (int i = 0; i < 16; i++) {
            JsonNode element = json.get(i);
            if (!element.isNumber() || !Double.isFinite(element.asDouble())) {
                return IDENTITY.clone();
            }
            matrix[i] = element.asDouble();
        }
        return matrix;
    }

    private static ArrayNode matrix(double[] values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(values.length);
        for (double value : values) {
            array.add(value);
        }
        return array;
    }

    private static double number(JsonNode intent, String field) {
        JsonNode value = intent.get(field);
        return value != null && value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : 0;
    }
}
