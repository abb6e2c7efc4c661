package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The delta engine per heartbeat: {@code moving} entities get a new transform, the revision
 * closes, and the patch from the previous revision is built and encoded, in a world of
 * {@code staticEntities} that do not change. Cost should follow {@code moving}, not the world.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeltaBenchmark {

    @Param({"1000", "100000"})
    int staticEntities;

    @Param({"50", "400"})
    int moving;

    private World world;
    private long tick;

    @Setup
    public void setUp() {
        world = new World(StateSettings.defaults());
        for (int i = 0; i < staticEntities; i++) {
            world.createEntity("s" + i, "place", Map.of("transform", transform(i, 0)));
        }
        for (int i = 0; i < moving; i++) {
            world.createEntity("m" + i, "agent", Map.of("transform", transform(i, 0)));
        }
        world.closeRevision();
        // a history as deep as the lagging clients' bases
        for (int r = 0; r < 30; r++) {
            heartbeatPatch();
        }
    }

    @Benchmark
    public byte[] heartbeatPatch() {
        long base = world.revision();
        tick++;
        for (int i = 0; i < moving; i++) {
            world.setComponent("m" + i, "transform", transform(i, tick));
        }
        world.closeRevision();
        return world.stateFor(base).json();
    }

    /**
     * A heartbeat whose clients lag by 1 to 23 revisions (twelve distinct bases, as counted in the
     * 100-agent place scenario): every base's patch from one sweep.
     */
    @Benchmark
    public int heartbeatPatchesForTwelveBases() {
        tick++;
        for (int i = 0; i < moving; i++) {
            world.setComponent("m" + i, "transform", transform(i, tick));
        }
        long now = world.closeRevision();
        java.util.List<Long> bases = new java.util.ArrayList<>(LAGS.length);
        for (int lag : LAGS) {
            bases.add(now - lag);
        }
        world.preparePatches(bases);
        int bytes = 0;
        for (long base : bases) {
            bytes += world.stateFor(base).json().length;
        }
        return bytes;
    }

    private static final int[] LAGS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 23};

    /** A latecomer's full state after one more heartbeat: unchanged entities come from their cached bytes. */
    @Benchmark
    public byte[] lateJoinFullState() {
        tick++;
        world.setComponent("m0", "transform", transform(0, tick));
        world.closeRevision();
        return world.stateFor(0).json();
    }

    private static JsonNode transform(int i, long t) {
        ObjectNode transform = JsonNodeFactory.instance.objectNode();
        ArrayNode m = transform.putArray("matrix");
        for (int k = 0; k < 12; k++) {
            m.add(k % 5 == 0 ? 1.0 : 0.0);
        }
        m.add(i * 0.1).add(Math.sin(t * 0.05)).add(t * 0.001).add(1.0);
        return transform;
    }
}
