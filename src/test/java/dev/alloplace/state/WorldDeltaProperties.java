package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * For random edit sequences, {@code apply(state@a, patch(a→now)) == state@now}, for every usable a,
 * whether the patches are built one base at a time or all in one sweep.
 */
class WorldDeltaProperties {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Property(tries = 60)
    void aMirrorAtAnyAcknowledgedRevisionCatchesUpExactly(@ForAll long seed,
            @ForAll @LongRange(min = 0, max = 2) long startNearWrap) {
        Random random = new Random(seed);
        long initial = startNearWrap == 0 ? 1 : Revisions.WRAP - 1 - random.nextInt(20);
        World world = new World(StateSettings.defaults().withHistoryLength(8).withInitialRevision(initial));
        Map<Long, ClientStateMirror> mirrors = new HashMap<>();
        List<Long> revisions = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            int edits = random.nextInt(5);
            for (int i = 0; i < edits; i++) {
                edit(world, random);
            }
            long revision = world.closeRevision();
            revisions.add(revision);
            ClientStateMirror fresh = new ClientStateMirror();
            assertThat(fresh.apply(read(world.stateFor(0).json()))).isTrue();
            assertThat(entities(fresh)).isEqualTo(world.fullStateDocument().get("entities"));
            List<Long> recent = revisions.subList(Math.max(0, revisions.size() - 12), revisions.size());
            if (step % 2 == 0) {
                // as a heartbeat does: every base's patch from one backward sweep
                world.preparePatches(recent);
            }
            for (long base : recent) {
                ClientStateMirror mirror = mirrors.get(base);
                if (mirror == null) {
                    continue;
                }
                ClientStateMirror copy = new ClientStateMirror();
                copy.apply(read(setOf(mirror)));
                EncodedState state = world.stateFor(base);
                assertThat(copy.apply(read(state.json()))).isTrue();
                assertThat(entities(copy)).as("from %d to %d (%s)", base, revision, state.isSet() ? "set" : "merge")
                        .isEqualTo(world.fullStateDocument().get("entities"));
            }
            mirrors.put(revision, fresh);
        }
    }

    private static void edit(World world, Random random) {
        String id = "e" + random.nextInt(6);
        int action = random.nextInt(10);
        if (!world.exists(id)) {
            Map<String, JsonNode> components = new HashMap<>();
            if (random.nextBoolean()) {
                components.put("transform", value(random));
            }
            world.createEntity(id, "agent" + random.nextInt(2), components);
        } else if (action < 5) {
            world.setComponent(id, "c" + random.nextInt(3), value(random));
        } else if (action < 8) {
            world.removeComponent(id, "c" + random.nextInt(3));
        } else {
            world.removeEntity(id);
        }
    }

    private static JsonNode value(Random random) {
        if (random.nextInt(6) == 0) {
            return random.nextBoolean() ? F.numberNode(random.nextInt(3)) : F.arrayNode().add(random.nextInt(3));
        }
        ObjectNode value = F.objectNode();
        int keys = random.nextInt(4);
        for (int k = 0; k < keys; k++) {
            switch (random.nextInt(3)) {
                case 0 -> value.put("k" + random.nextInt(4), random.nextInt(3));
                case 1 -> value.putArray("k" + random.nextInt(4)).add(random.nextInt(3));
                default -> value.putObject("k" + random.nextInt(4)).put("n" + random.nextInt(2), random.nextInt(3));
            }
        }
        return value;
    }

    private static byte[] setOf(ClientStateMirror mirror) {
        ObjectNode document = F.objectNode();
        ObjectNode all = document.putObject("entities");
        mirror.entities().forEach(all::set);
        document.put("revision", mirror.revision());
        document.put("patch_style", "set");
        return ProtocolJson.write(document);
    }

    private static JsonNode entities(ClientStateMirror mirror) {
        ObjectNode all = F.objectNode();
        mirror.entities().forEach(all::set);
        return all;
    }

    private static JsonNode read(byte[] json) {
        return ((ParseResult.Success<JsonNode>) ProtocolJson.read(json)).value();
    }
}
