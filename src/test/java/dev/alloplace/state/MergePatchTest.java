package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import org.junit.jupiter.api.Test;

class MergePatchTest {

    private static JsonNode json(String text) throws Exception {
        return ProtocolJson.mapper().readTree(text);
    }

    @Test
    void anUnchangedValueNeedsNoPatch() throws Exception {
        assertThat(MergePatch.diff(json("{\"a\":{\"b\":[1,2]}}"), json("{\"a\":{\"b\":[1,2]}}"))).isNull();
        assertThat(MergePatch.diff(json("{}"), json("{}"))).isNull();
    }

    @Test
    void aValueWhoseEveryFieldChangedIsItsOwnPatch() throws Exception {
        JsonNode after = json("{\"matrix\":[1,0,0,5]}");
        assertThat(MergePatch.diff(json("{\"matrix\":[1,0,0,4]}"), after)).isSameAs(after);
    }

    @Test
    void onlyChangedFieldsAreSentAndRemovedOnesAreNulled() throws Exception {
        assertThat(MergePatch.diff(json("{\"a\":1,\"b\":2,\"c\":3}"), json("{\"a\":9,\"b\":2,\"d\":4}")))
                .isEqualTo(json("{\"c\":null,\"a\":9,\"d\":4}"));
        assertThat(MergePatch.diff(json("{\"a\":1,\"b\":2}"), json("{\"a\":1,\"b\":3}"))).isEqualTo(json("{\"b\":3}"));
        assertThat(MergePatch.diff(json("{\"a\":{\"x\":1,\"y\":2},\"b\":1}"), json("{\"a\":{\"x\":1,\"y\":3},\"b\":2}")))
                .isEqualTo(json("{\"a\":{\"y\":3},\"b\":2}"));
    }

    @Test
    void arraysDifferingAnywhereAreReplacedWholeAndEqualOnesAreNot() throws Exception {
        JsonNode first = json("{\"m\":[9,0,0,1]}");
        JsonNode last = json("{\"m\":[1,0,0,9]}");
        assertThat(MergePatch.diff(json("{\"m\":[1,0,0,1]}"), first)).isSameAs(first);
        assertThat(MergePatch.diff(json("{\"m\":[1,0,0,1]}"), last)).isSameAs(last);
        assertThat(MergePatch.diff(json("{\"m\":[1,0,0]}"), json("{\"m\":[1,0,0,0]}"))).isNotNull();
        assertThat(MergePatch.diff(json("{\"m\":[1,[2,3],{\"a\":1}]}"), json("{\"m\":[1,[2,3],{\"a\":1}]}"))).isNull();
        assertThat(MergePatch.diff(json("{\"m\":[1.5]}"), json("{\"m\":[2.5]}"))).isNotNull();
    }

    @Test
    void patchesApplyBackToTheNewValue() throws Exception {
        JsonNode before = json("{\"a\":{\"x\":1,\"y\":2},\"b\":[1],\"c\":\"gone\"}");
        JsonNode after = json("{\"a\":{\"x\":1,\"y\":3},\"b\":[2],\"d\":true}");
        assertThat(MergePatch.apply(before, MergePatch.diff(before, after))).isEqualTo(after);
    }

    @Test
    void anEditKeepsTheShapeWhenEveryObjectKeyAtEveryDepthRemains() throws Exception {
        assertThat(MergePatch.keepsShape(json("{\"matrix\":[1,0]}"), json("{\"matrix\":[2,0]}"))).isTrue();
        assertThat(MergePatch.keepsShape(json("{\"a\":{\"b\":1}}"), json("{\"a\":{\"b\":2,\"c\":3},\"d\":4}"))).isTrue();
        assertThat(MergePatch.keepsShape(null, json("{\"a\":1}"))).as("a new component").isTrue();
        assertThat(MergePatch.keepsShape(json("5"), json("[5]"))).as("non-objects stay non-objects").isTrue();

        assertThat(MergePatch.keepsShape(json("{\"a\":1,\"b\":1}"), json("{\"a\":1}"))).as("a key dropped").isFalse();
        assertThat(MergePatch.keepsShape(json("{\"a\":{\"b\":1}}"), json("{\"a\":{\"c\":1}}"))).as("a nested key dropped").isFalse();
        assertThat(MergePatch.keepsShape(json("{\"a\":{\"b\":1}}"), json("{\"a\":7}"))).as("an object became a number").isFalse();
        assertThat(MergePatch.keepsShape(json("7"), json("{\"a\":7}"))).as("a number became an object").isFalse();
        assertThat(MergePatch.keepsShape(json("{\"a\":1}"), null)).as("the component removed").isFalse();
    }
}
