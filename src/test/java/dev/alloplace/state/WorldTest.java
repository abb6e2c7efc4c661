package dev.alloplace.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorldTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static JsonNode json(EncodedState state) {
        return json(text(state));
    }

    private static JsonNode json(String text) {
        try {
            return dev.alloplace.protocol.ProtocolJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(EncodedState state) {
        return new String(state.json(), StandardCharsets.UTF_8);
    }

    @Test
    void firstRevisionSentIsTwoAndNewClientsGetAFullSet() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("transform", F.objectNode().put("x", 1)));

        assertThat(world.closeRevision()).isEqualTo(2);
        assertThat(text(world.stateFor(0))).isEqualTo(
                "{\"entities\":{\"a\":{\"id\":\"a\",\"components\":{\"transform\":{\"x\":1}}}},\"revision\":2,\"patch_style\":\"set\"}");
    }

    @Test
    void aMeasuredValueIsStoredAsMeasuredAndUnderAnotherNameEncodedForThatName() {
        World world = new World(StateSettings.defaults());
        JsonNode value = F.objectNode().put("x", 1);
        int measured = world.measure("a", value);
        world.createEntity("e", "agent", Map.of("a", value));
        assertThat(world.componentBytes("e", "a")).isEqualTo(measured).isEqualTo("\"a\":{\"x\":1}".length());

        world.measure("a", value);
        world.setComponent("e", "longer_name", value);
        assertThat(world.componentBytes("e", "longer_name")).isEqualTo("\"longer_name\":{\"x\":1}".length());
        world.closeRevision();
        assertThat(json(world.stateFor(0)).at("/entities/e/components")).isEqualTo(json("{\"a\":{\"x\":1},\"longer_name\":{\"x\":1}}"));
    }

    @Test
    void mergePatchCarriesOnlyWhatChangedWithRemovedKeysAsNull() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("c", F.objectNode().put("x", 1).put("y", 2)));
        world.createEntity("b", "agent", Map.of());
        long base = world.closeRevision();
        world.setComponent("a", "c", F.objectNode().put("x", 5));
        world.removeEntity("b");
        world.closeRevision();

        assertThat(json(world.stateFor(base))).isEqualTo(json(
                "{\"entities\":{\"a\":{\"components\":{\"c\":{\"y\":null,\"x\":5}}},\"b\":null},"
                        + "\"revision\":3,\"patch_style\":\"merge\",\"patch_from\":2}"));
    }

    @Test
    void patchCountsTheChangedJsonApartFromItsFraming() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("c", F.objectNode().put("x", 1).put("y", 2)));
        world.createEntity("b", "agent", Map.of());
        long base = world.closeRevision();
        world.setComponent("a", "c", F.objectNode().put("x", 5).put("y", 2));
        world.removeEntity("b");
        world.closeRevision();

        EncodedState patch = world.stateFor(base);
        assertThat(patch.contentBytes()).as("\"c\":{\"x\":5} and null").isEqualTo("\"c\":{\"x\":5}".length() + "null".length());
        assertThat(patch.json().length).isGreaterThan((int) patch.contentBytes());
    }

    @Test
    void aComponentWrittenManyTimesInOneRevisionIsKeptOnceAndPatchedFromItsFirstValue() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("t", F.objectNode().put("x", 0), "gone", F.textNode("soon")));
        long older = world.closeRevision();
        world.setComponent("a", "t", F.objectNode().put("x", 1));
        long base = world.closeRevision();
        int kept = world.changesKept();
        for (int x = 2; x <= 5; x++) {
            world.setComponent("a", "t", F.objectNode().put("x", x).put("y", x));
        }
        world.removeComponent("a", "gone");
        world.setComponent("a", "gone", F.textNode("back"));
        world.removeComponent("a", "gone");
        world.closeRevision();

        assertThat(world.changesKept() - kept).as("one change per component edited").isEqualTo(2);
        assertThat(json(world.stateFor(base)).at("/entities/a/components"))
                .isEqualTo(json("{\"t\":{\"x\":5,\"y\":5},\"gone\":null}"));
        assertThat(json(world.stateFor(older)).at("/entities/a/components"))
                .isEqualTo(json("{\"t\":{\"x\":5,\"y\":5},\"gone\":null}"));

        long settled = world.revision();
        world.setComponent("a", "t", F.objectNode().put("x", 6).put("y", 5));
        world.setComponent("a", "t", F.objectNode().put("x", 5).put("y", 5));
        world.closeRevision();
        JsonNode movedAndBack = json(world.stateFor(settled)).at("/entities/a/components/t");
        assertThat(movedAndBack.isMissingNode() || movedAndBack.equals(json("{\"x\":5,\"y\":5}")))
                .as("written away and back within a revision: nothing, or what it is, " + movedAndBack).isTrue();
        assertThat(json(world.stateFor(0)).at("/entities/a/components")).isEqualTo(json("{\"t\":{\"x\":5,\"y\":5}}"));
    }

    @Test
    void anEntitysCachedEncodingFollowsEveryWrite() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("c", F.textNode("one")));
        world.closeRevision();
        assertThat(text(world.stateFor(0))).contains("\"c\":\"one\"");
        world.setComponent("a", "c", F.textNode("two"));
        world.setComponent("a", "d", F.numberNode(3));
        world.closeRevision();
        assertThat(text(world.stateFor(0))).contains("\"components\":{\"c\":\"two\",\"d\":3}");
        world.removeComponent("a", "c");
        world.closeRevision();
        assertThat(text(world.stateFor(0))).contains("\"components\":{\"d\":3}");
    }

    @Test
    void anEntityRemovedAndCreatedAgainSinceTheBaseIsPatchedComponentByComponent() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "agent", Map.of("old", F.numberNode(1), "kept", F.numberNode(2)));
        long base = world.closeRevision();
        world.removeEntity("a");
        world.closeRevision();
        world.createEntity("a", "agent", Map.of("kept", F.numberNode(3)));
        world.closeRevision();

        assertThat(json(world.stateFor(base)).path("entities").path("a").path("components"))
                .as("the client's old component must be removed, not left behind by a whole-entity merge")
                .isEqualTo(json("{\"old\":null,\"kept\":3}"));
    }

    @Test
    void patchesForManyBasesInOneSweepEqualThoseBuiltOneByOne() {
        World swept = new World(StateSettings.defaults());
        World single = new World(StateSettings.defaults());
        java.util.List<Long> bases = new java.util.ArrayList<>();
        for (int r = 0; r < 20; r++) {
            for (World w : java.util.List.of(swept, single)) {
                if (r % 5 == 0) {
                    w.createEntity("e" + r, "agent", Map.of("n", F.numberNode(r)));
                }
                w.setComponent("e0", "t", F.objectNode().put("x", r).put("y", r / 7));
                if (r == 12) {
                    w.removeEntity("e5");
                }
                bases.add(w.closeRevision());
            }
        }
        swept.preparePatches(bases);
        for (long base : bases) {
            assertThat(json(swept.stateFor(base))).as("from %d", base).isEqualTo(json(single.stateFor(base)));
        }
    }

    @Test
    void aFieldBackAtItsBaseValueMayBeResentWhenPatchesAreSweptButThePatchStillLands() {
        World world = new World(StateSettings.defaults());
        world.createEntity("e", "agent", Map.of("t", F.objectNode().put("x", 0).put("y", 0)));
        long base = world.closeRevision();
        world.setComponent("e", "t", F.objectNode().put("x", 1).put("y", 1));
        long middle = world.closeRevision();
        world.setComponent("e", "t", F.objectNode().put("x", 2).put("y", 0));
        world.closeRevision();

        world.preparePatches(java.util.List.of(middle, base));

        JsonNode patch = json(world.stateFor(base)).path("entities").path("e").path("components").path("t");
        assertThat(MergePatch.apply(F.objectNode().put("x", 0).put("y", 0), patch))
                .isEqualTo(F.objectNode().put("x", 2).put("y", 0));
    }

    @Test
    void aFieldRemovedInAnOlderRevisionIsStillRemovedWhenPatchesAreSwept() {
        World world = new World(StateSettings.defaults());
        world.createEntity("e", "agent", Map.of("t", F.objectNode().put("a", 1).put("b", 1)));
        long base = world.closeRevision();
        world.setComponent("e", "t", F.objectNode().put("a", 2));
        long middle = world.closeRevision();
        world.setComponent("e", "t", F.objectNode().put("a", 3));
        world.closeRevision();

        world.preparePatches(java.util.List.of(middle, base));

        assertThat(json(world.stateFor(middle)).path("entities").path("e").path("components").path("t"))
                .isEqualTo(json("{\"a\":3}"));
        assertThat(json(world.stateFor(base)).path("entities").path("e").path("components").path("t"))
                .isEqualTo(json("{\"a\":3,\"b\":null}"));
    }

    @Test
    void anEntityCreatedAndRemovedSinceTheBaseIsLeftOut() {
        World world = new World(StateSettings.defaults());
        long base = world.closeRevision();
        world.createEntity("ghost", "agent", Map.of());
        world.closeRevision();
        world.removeEntity("ghost");
        world.closeRevision();

        assertThat(text(world.stateFor(base))).contains("\"entities\":{}");
    }

    @Test
    void clientsOnTheSameBaseShareTheSameBytes() {
        World world = new World(StateSettings.defaults());
        long base = world.closeRevision();
        world.createEntity("a", "agent", Map.of());
        world.closeRevision();

        assertThat(world.stateFor(base).json()).isSameAs(world.stateFor(base).json());
    }

    @Test
    void anAcknowledgementOlderThanTheHistoryGetsASet() {
        World world = new World(StateSettings.defaults().withHistoryLength(4));
        long old = world.closeRevision();
        for (int i = 0; i < 5; i++) {
            world.closeRevision();
        }
        assertThat(world.stateFor(old).isSet()).isTrue();
        assertThat(world.stateFor(world.revision() - 4).isSet()).isFalse();
        assertThat(world.stateFor(world.revision() + 3).isSet()).as("an ack from the future").isTrue();
    }

    @Test
    void revisionsWrapToZeroBelowTwoToTheFiftyThird() {
        World world = new World(StateSettings.defaults().withInitialRevision(Revisions.WRAP - 2));
        assertThat(world.closeRevision()).isEqualTo(Revisions.WRAP - 1);
        assertThat(world.closeRevision()).isZero();
        assertThat(world.closeRevision()).isEqualTo(1);
        assertThat(world.stateFor(Revisions.WRAP - 1).isSet()).isFalse();
    }

    @Test
    void entitiesAreIndexedByComponentName() {
        World world = new World(StateSettings.defaults());
        world.createEntity("a", "ann", Map.of("glow", F.objectNode()));
        world.createEntity("b", "ann", Map.of());
        world.setComponent("b", "glow", F.objectNode().put("on", true));
        assertThat(world.withComponent("glow")).containsExactlyInAnyOrder("a", "b");
        world.removeComponent("a", "glow");
        world.removeEntity("b");
        assertThat(world.withComponent("glow")).isEmpty();
    }

    @Test
    void childrenAndOwnersAreIndexed() {
        World world = new World(StateSettings.defaults());
        JsonNode child = F.objectNode().put("parent", "root");
        world.createEntity("root", "ann", Map.of());
        world.createEntity("kid", "bob", Map.of("relationships", child));

        assertThat(world.childrenOf("root")).containsExactly("kid");
        assertThat(world.ownedBy("bob")).containsExactly("kid");
        world.removeComponent("kid", "relationships");
        assertThat(world.childrenOf("root")).isEmpty();
        world.removeEntity("kid");
        assertThat(world.ownedBy("bob")).isEmpty();
    }

    @Test
    void theWorldKnowsWhatItsFullStateWeighsAndWhoOwnsWhichBytes() {
        World world = new World(StateSettings.defaults());
        assertThat(world.bytes()).isZero();
        world.createEntity("a", "alice", Map.of("text", F.objectNode().put("string", "h\u00e9llo \"quoted\""),
                "transform", F.objectNode().put("x", 1.5)));
        world.createEntity("b", "bob", Map.of());
        world.createEntity("c", "alice", Map.of("n", F.numberNode(7)));
        world.setComponent("a", "text", F.objectNode().put("string", "a longer text than before"));
        world.removeComponent("c", "n");
        world.setComponent("b", "big", F.textNode("x".repeat(1000)));
        world.closeRevision();

        assertThat(world.bytes()).as("entities of the full state, one separator each")
                .isEqualTo(entitiesLength(world) + 1);
        assertThat(world.bytesOwnedBy("alice") + world.bytesOwnedBy("bob")).isEqualTo(world.bytes());
        assertThat(world.bytesOwnedBy("bob")).isGreaterThan(1000);
        long alice = world.bytesOwnedBy("alice");
        assertThat(world.componentBytes("b", "big")).isEqualTo(world.measure("big", F.textNode("x".repeat(1000))));
        assertThat(world.entityBytes("d", world.measure("n", F.numberNode(7)), 1))
                .as("what a new entity would add").isEqualTo(world.entityBytes("d", 0, 0) + "\"n\":7".length());

        world.removeEntity("b");
        world.closeRevision();
        assertThat(world.bytesOwnedBy("bob")).isZero();
        assertThat(world.bytes()).isEqualTo(alice).isEqualTo(entitiesLength(world) + 1);
    }

    /** The bytes between {@code "entities":{} and the closing brace of a full state. */
    private static long entitiesLength(World world) {
        String full = text(world.stateFor(0));
        int start = "{\"entities\":{".length();
        int end = full.indexOf("},\"revision\":");
        return full.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
    }
}
