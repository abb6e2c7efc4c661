package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumberArrayNodeTest {

    private static final double[] NUMBERS = {1.0, -0.0, 0.1, 1e-300, 12345.678};

    private static ArrayNode plain(double... values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }

    @Test
    void readsComparesAndSerializesLikeAPlainArrayOfTheSameNumbers() {
        NumberArrayNode compact = NumberArrayNode.of(NUMBERS);
        ArrayNode plain = plain(NUMBERS);

        assertThat(compact.size()).isEqualTo(5);
        assertThat(compact.get(2).doubleValue()).isEqualTo(0.1);
        assertThat(compact).isEqualTo(plain);
        assertThat(plain).isEqualTo(compact);
        assertThat(compact.hashCode()).isEqualTo(plain.hashCode());
        assertThat(compact).isNotEqualTo(NumberArrayNode.of(new double[] {1.0, 0.0, 0.1, 1e-300, 12345.678}));
        assertThat(ProtocolJson.write(compact)).isEqualTo(ProtocolJson.write(plain));
        assertThat(compact.deepCopy()).isEqualTo(plain);
    }

    @Test
    void theStateEncoderWritesWholeNumbersWithoutAFractionAndEveryNumberReadsBackTheSame() throws Exception {
        assertThat(written(1.0, -0.0, 0.0, -3.0, 0.1, 12345.678, 0.9111854559767554))
                .isEqualTo("[1,-0.0,0,-3,0.1,12345.678,0.9111854559767554]");
        double[] numbers = {1.0, -0.0, 0.0, -3.0, 0.1, 1e-300, 12345.678, 0x1p53 - 1, 0x1p53, -0x1p60, 1e300, 0.9111854559767554};
        StateWriter compact = new StateWriter(16);
        compact.value(NumberArrayNode.of(numbers));
        JsonNode reread = ProtocolJson.mapper().readTree(compact.toByteArray());
        for (int i = 0; i < numbers.length; i++) {
            assertThat(Double.doubleToRawLongBits(reread.get(i).doubleValue())).as("number %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(numbers[i]));
        }
    }

    private static String written(double... numbers) {
        StateWriter out = new StateWriter(16);
        out.value(NumberArrayNode.of(numbers));
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void itCannotBeChangedAndDoesNotShareTheCallersArray() {
        double[] numbers = NUMBERS.clone();
        NumberArrayNode compact = NumberArrayNode.of(numbers);
        numbers[0] = 99;

        assertThat(compact.number(0)).isEqualTo(1.0);
        assertThatThrownBy(() -> compact.add(2.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.set(0, JsonNodeFactory.instance.numberNode(3))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void diffingTwoCompactArraysFindsAChangeInAnyPosition() {
        NumberArrayNode before = NumberArrayNode.of(NUMBERS);
        for (int i = 0; i < NUMBERS.length; i++) {
            double[] moved = NUMBERS.clone();
            moved[i] += 1;
            NumberArrayNode after = NumberArrayNode.of(moved);
            assertThat(MergePatch.diff(before, after)).as("position %d", i).isSameAs(after);
        }
        assertThat(MergePatch.diff(before, NumberArrayNode.of(NUMBERS))).isNull();
    }
}
