package dev.alloplace.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntentCodecTest {

    private static Intent decode(String text) {
        JsonNode json = ((ParseResult.Success<JsonNode>) ProtocolJson.read(text.getBytes(StandardCharsets.UTF_8))).value();
        return ((ParseResult.Success<Intent>) IntentCodec.decode(json)).value();
    }

    @Test
    void missingFieldsTakeAllonetDefaults() {
        Intent intent = decode("{\"cmd\":\"intent\",\"intent\":{}}");

        assertThat(intent.wantsStickMovement()).isTrue();
        assertThat(intent.xmovement()).isZero();
        assertThat(intent.poses()).isEmpty();
        assertThat(intent.ackStateRev()).isZero();
    }

    @Test
    void malformedMatrixIsIdentityAndEmptyGrabIsNoGrab() {
        Intent intent = decode("{\"cmd\":\"intent\",\"intent\":{\"poses\":{\"head\":{\"matrix\":[1,2,3],\"grab\":{}}},"
                + "\"ack_state_rev\":42,\"entity_id\":\"forged\"}}");

        assertThat(intent.poses().get("head").matrix()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        assertThat(intent.poses().get("head").grab()).isNull();
        assertThat(intent.ackStateRev()).isEqualTo(42);
        assertThat(intent.entityId()).as("the place decides whose intent it is").isNull();
    }

    @Test
    void encodedIntentDecodesToTheSameValues() {
        double[] m = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 2, 3, 4, 1};
        Intent original = new Intent(null, false, 0.5, -1, 1.5, 0.25,
                Map.of("hand/right", new Pose(m, new Grab("box", m))), 7);

        Intent decoded = decode(new String(ProtocolJson.write(IntentCodec.encode(original)), StandardCharsets.UTF_8));

        assertThat(decoded.wantsStickMovement()).isFalse();
        assertThat(decoded.xmovement()).isEqualTo(0.5);
        assertThat(decoded.zmovement()).isEqualTo(-1);
        assertThat(decoded.yaw()).isEqualTo(1.5);
        assertThat(decoded.pitch()).isEqualTo(0.25);
        assertThat(decoded.ackStateRev()).isEqualTo(7);
        assertThat(decoded.poses().get("hand/right").matrix()).containsExactly(m);
        assertThat(decoded.poses().get("hand/right").grab().entity()).isEqualTo("box");
    }

    @Test
    void somethingElseOnTheIntentChannelIsRefused() {
        JsonNode json = ((ParseResult.Success<JsonNode>) ProtocolJson.read("[1,2]".getBytes(StandardCharsets.UTF_8))).value();
        assertThat(IntentCodec.decode(json)).isInstanceOf(ParseResult.Failure.class);
    }

    @Test
    void anIntentNamingThousandsOfPosesKeepsOnlyTheOnesTheProtocolDefines() {
        StringBuilder poses = new StringBuilder("{\"head\":{\"matrix\":[1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1]}");
        for (int i = 0; i < 10_000; i++) {
            poses.append(",\"p").append(i).append("\":{}");
        }
        Intent intent = decode("{\"cmd\":\"intent\",\"intent\":{\"poses\":" + poses + "}}}");

        assertThat(intent.poses()).containsOnlyKeys("head");
    }
}
