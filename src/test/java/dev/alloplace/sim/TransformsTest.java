package dev.alloplace.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.state.StateSettings;
import dev.alloplace.state.World;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformsTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final World world = new World(StateSettings.defaults());
    private final Transforms transforms = new Transforms(new StoreSimWorld(world), SimSettings.defaults());

    private static double[] moved(double x) {
        double[] m = Mat4.identity();
        m[12] = x;
        return m;
    }

    @Test
    void aTransformThatIsOnlyItsMatrixIsWrittenAsAnImmutableMatrix() {
        world.createEntity("avatar", "agent", Map.of());
        assertThat(transforms.set("avatar", moved(1))).isTrue();
        assertThat(transforms.set("avatar", moved(2))).isTrue();

        JsonNode written = world.entity("avatar").orElseThrow().components().get("transform");
        assertThat(written.size()).isEqualTo(1);
        assertThat(transforms.local("avatar")).containsExactly(moved(2));
        assertThat(written).isEqualTo(F.objectNode().set("matrix", Transforms.array(moved(2))));
        assertThatThrownBy(() -> ((ObjectNode) written).put("size", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theOtherKeysOfATransformStayWhenItsMatrixMoves() {
        ObjectNode sized = F.objectNode();
        sized.set("matrix", Transforms.array(Mat4.identity()));
        sized.putArray("size").add(1).add(2).add(3);
        world.createEntity("box", "agent", Map.of("transform", sized));

        assertThat(transforms.set("box", moved(3))).isTrue();

        JsonNode written = world.entity("box").orElseThrow().components().get("transform");
        assertThat(written.get("size")).isEqualTo(sized.get("size"));
        assertThat(transforms.local("box")).containsExactly(moved(3));
    }
}
