package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientStateMirrorTest {

    private static JsonNode json(String text) {
        return ((ParseResult.Success<JsonNode>) ProtocolJson.read(text.getBytes(StandardCharsets.UTF_8))).value();
    }

    @Test
    void aPatchFromAnOlderHeldRevisionStillApplies() {
        ClientStateMirror mirror = new ClientStateMirror();
        mirror.apply(json("{\"entities\":{\"a\":{\"id\":\"a\",\"components\":{\"c\":{\"x\":1}}}},\"revision\":2,\"patch_style\":\"set\"}"));
        mirror.apply(json("{\"entities\":{\"a\":{\"components\":{\"c\":{\"x\":2}}},\"b\":{\"id\":\"b\",\"components\":{}}},"
                + "\"revision\":3,\"patch_style\":\"merge\",\"patch_from\":2}"));
        mirror.apply(json("{\"entities\":{\"a\":{\"components\":{\"c\":{\"x\":3}}}},\"revision\":4,\"patch_style\":\"merge\",\"patch_from\":3}"));

        boolean applied = mirror.apply(json("{\"entities\":{\"a\":{\"components\":{\"c\":{\"x\":5}}},\"b\":{\"id\":\"b\",\"components\":{}},"
                + "\"d\":{\"id\":\"d\",\"components\":{}}},\"revision\":5,\"patch_style\":\"merge\",\"patch_from\":2}"));

        assertThat(applied).isTrue();
        assertThat(mirror.revision()).isEqualTo(5);
        assertThat(mirror.entities().get("a").path("components").path("c").path("x").asInt()).isEqualTo(5);
        assertThat(mirror.entities()).containsOnlyKeys("a", "b", "d");
    }

    @Test
    void aPatchFromARevisionNeverHeldIsRefused() {
        ClientStateMirror mirror = new ClientStateMirror();
        mirror.apply(json("{\"entities\":{},\"revision\":2,\"patch_style\":\"set\"}"));
        assertThat(mirror.apply(json("{\"entities\":{},\"revision\":9,\"patch_style\":\"merge\",\"patch_from\":7}"))).isFalse();
        assertThat(mirror.revision()).isEqualTo(2);
    }
}
