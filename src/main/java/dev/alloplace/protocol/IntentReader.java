package dev.alloplace.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an intent message straight from its bytes, token by token, into an {@link Intent}:
 * the same result as {@link ProtocolJson#read} followed by {@link IntentCodec#decode} (the same
 * leniency, the same refusals: malformed JSON, duplicate keys, nesting, trailing tokens), but
 * without building a tree of the message first. A visor sends twenty of these a second, and the
 * tree was most of what the place thread spent on them. Fields the protocol does not name are
 * skipped without being kept.
 */
public final class IntentReader {

    private static final double[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

    private IntentReader() {
    }

    /** The intent in {@code message}, or why there is none. */
    public static ParseResult<Intent> read(byte[] message) {
        int length = ProtocolJson.contentLength(message);
        if (length == 0) {
            return ParseResult.failure("empty message");
        }
        try (JsonParser parser = ProtocolJson.mapper().getFactory().createParser(message, 0, length)) {
            ParseResult<Intent> result = message(parser);
            if (parser.nextToken() != null) {
                return ParseResult.failure("malformed JSON: trailing tokens after the message");
            }
            return result;
        } catch (JsonProcessingException e) {
            return ParseResult.failure("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return ParseResult.failure("malformed JSON: " + e.getMessage());
        }
    }

    private static ParseResult<Intent> message(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return ParseResult.failure("expected {\"cmd\":\"intent\",...}");
        }
        boolean isIntent = false;
        Fields intent = null;
        boolean intentNotObject = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("cmd".equals(name)) {
                isIntent = value == JsonToken.VALUE_STRING && "intent".equals(parser.getText());
                parser.skipChildren();
            } else if ("intent".equals(name) && value == JsonToken.START_OBJECT) {
                intent = intent(parser);
                intentNotObject = false;
            } else {
                intentNotObject |= "intent".equals(name);
                parser.skipChildren();
            }
        }
        if (!isIntent) {
            return ParseResult.failure("expected {\"cmd\":\"intent\",...}");
        }
        if (intent == null || intentNotObject) {
            return ParseResult.failure("the 'intent' field must be an object");
        }
        return ParseResult.success(intent.toIntent());
    }

    /** The fields of an intent as they are read; absent ones keep allonet's defaults. */
    private static final class Fields {
        boolean wantsStickMovement = true;
        double xmovement;
        double zmovement;
        double yaw;
        double pitch;
        long ackStateRev;
        final Pose[] poses = new Pose[IntentCodec.POSE_NAMES.size()];

        Intent toIntent() {
            Map<String, Pose> byName = new LinkedHashMap<>();
            for (int i = 0; i < poses.length; i++) {
                if (poses[i] != null) {
                    byName.put(IntentCodec.POSE_NAMES.get(i), poses[i]);
                }
            }
            return new Intent(null, wantsStickMovement, xmovement, zmovement, yaw, pitch, byName, ackStateRev);
        }
    }

    /** At the START_OBJECT of {@code intent}; returns at its END_OBJECT. */
    private static Fields intent(JsonParser parser) throws IOException {
        Fields fields = new Fields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "wants_stick_movement" -> fields.wantsStickMovement = value != JsonToken.VALUE_FALSE;
                case "xmovement" -> fields.xmovement = finite(parser, value);
                case "zmovement" -> fields.zmovement = finite(parser, value);
                case "yaw" -> fields.yaw = finite(parser, value);
                case "pitch" -> fields.pitch = finite(parser, value);
                case "ack_state_rev" -> {
                    double rev = value.isNumeric() ? parser.getDoubleValue() : -1;
                    fields.ackStateRev = rev >= 0 ? (long) rev : 0;
                }
                case "poses" -> {
                    if (value == JsonToken.START_OBJECT) {
                        poses(parser, fields.poses);
                    } else {
                        clearPoses(fields.poses);
                    }
                }
                default -> { }
            }
            parser.skipChildren();
        }
        return fields;
    }

    private static void clearPoses(Pose[] poses) {
        Arrays.fill(poses, null);
    }

    /** At the START_OBJECT of {@code poses}; returns at its END_OBJECT. */
    private static void poses(JsonParser parser, Pose[] poses) throws IOException {
        clearPoses(poses);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            int index = IntentCodec.POSE_NAMES.indexOf(parser.currentName());
            JsonToken value = parser.nextToken();
            if (index >= 0) {
                poses[index] = value == JsonToken.START_OBJECT ? pose(parser) : null;
            }
            parser.skipChildren();
        }
    }

    /** At the START_OBJECT of a pose; returns at its END_OBJECT. */
    private static Pose pose(JsonParser parser) throws IOException {
        double[] matrix = null;
        String grabbed = null;
        double[] grabTransform = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("matrix".equals(name)) {
                matrix = matrix(parser, value);
            } else if ("grab".equals(name)) {
                grabbed = null;
                grabTransform = null;
                if (value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken grabValue = parser.nextToken();
                        if ("entity".equals(field)) {
                            grabbed = grabValue == JsonToken.VALUE_STRING ? parser.getText() : null;
                        } else if ("grabber_from_entity_transform".equals(field)) {
                            grabTransform = matrix(parser, grabValue);
                        }
                        parser.skipChildren();
                    }
                }
            }
            parser.skipChildren();
        }
        Grab grab = grabbed != null && !grabbed.isEmpty()
                ? new Grab(grabbed, grabTransform == null ? IDENTITY : grabTransform) : null;
        return new Pose(matrix == null ? IDENTITY : matrix, grab);
    }

    /**
     * At the value of a matrix field: 16 finite numbers, or the identity. An array is read to its
     * end (and left at its END_ARRAY) whatever it holds.
     */
    private static double[] matrix(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return IDENTITY;
        }
        double[] matrix = new double[16];
        int count = 0;
        boolean valid = true;
        for (JsonToken element; (element = parser.nextToken()) != JsonToken.END_ARRAY; count++) {
            if (element == null) {
                throw new IOException("unexpected end of input");
            }
            if (!valid || count >= 16 || !element.isNumeric()) {
                valid = false;
                parser.skipChildren();
                continue;
            }
            double number = parser.getDoubleValue();
            valid = Double.isFinite(number);
            matrix[count] = number;
        }
        return valid && count == 16 ? matrix : IDENTITY;
    }

    private static double finite(JsonParser parser, JsonToken value) throws IOException {
        if (!value.isNumeric()) {
            return 0;
        }
        double number = parser.getDoubleValue();
        return Double.isFinite(number) ? number : 0;
    }
}
