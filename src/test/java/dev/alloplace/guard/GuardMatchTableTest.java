package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every line of match-cases.tsv: a source, a JSON value, and whether the value must match. */
@Timeout(30)
class GuardMatchTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = GuardMatchTableTest.class.getResourceAsStream("match-cases.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (parts.length != 3) {
                    throw new IllegalStateException("match-cases.tsv line " + n + " has " + parts.length + " fields");
                }
                out.add(Arguments.of(n, parts[0].equals("match"), parts[1], parts[2]));
            }
        }
        return out.stream();
    }

    @Test
    void theTableHasAtLeastEightyCasesOfEachKindTogether() throws IOException {
        List<Arguments> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(80);
        assertThat(all).anyMatch(a -> (boolean) a.get()[1]).anyMatch(a -> !(boolean) a.get()[1]);
    }

    @ParameterizedTest(name = "line {0}: {2}")
    @MethodSource("cases")
    void sourceMatchesValueExactlyAsTheTableSays(int line, boolean expected, String source, String value)
            throws IOException {
        CompileResult result = Guard.compile(source, GuardLimits.defaults());
        assertThat(result).as("compiles: %s", result).isInstanceOf(CompileResult.Compiled.class);
        JsonNode node = JSON.readTree(value);
        assertThat(result.orElseThrow().matches(node)).as("line %d: %s against %s", line, source, value)
                .isEqualTo(expected);
    }
}
