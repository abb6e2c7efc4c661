package dev.alloplace.server.attacks;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks from issue 17 (and the honest burst that the old rate limit punished), each against a
 * real server over ENet on loopback with honest clients watching: the server survives, its
 * memory stays bounded, and the honest clients keep getting diffs. Attackers run on a client
 * host of their own so their work does not slow the honest clients' thread. These stories are
 * about rates (bytes and messages a second) and so run on the wall clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceUnderAttackTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private Honest honest;
    private AlloClientHost attackers;

    @AfterEach
    void stop() {
        if (attackers != null) {
            attackers.close();
        }
        if (honest != null) {
            honest.close();
        }
    }

    private AlloClient attacker(TestPlace place, String name) throws Exception {
        if (attackers == null) {
            attackers = AlloClientHost.start(new EnetTransport(
                    EnetSettings.loopbackClient().toBuilder().maxPeers(64).build()));
        }
        AlloClient client = await(name + " connects", attackers.connect(place.address(),
                ClientOptions.defaults(name).withoutMirror().withRequestTimeout(Duration.ofSeconds(50))));
        await(name + "'s announce is answered", client.announce());
        return client;
    }

    @Test
    void anAppSpawningTenThousandEntitiesOneRequestEachSucceedsPacedWhileOthersKeepGettingDiffs(TestPlace place)
            throws Exception {
        honest = new Honest(place, 2);
        Honest.Stretch quiet = honest.quiet(Duration.ofSeconds(1));
        AlloClient app = attacker(place, "scene builder");

        honest.start();
        long started = System.nanoTime();
        List<CompletableFuture<ArrayNode>> answers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ObjectNode spec = F.objectNode();
            spec.putObject("text").put("string", "block " + i);
            answers.add(app.request("place", Interaction.body("spawn_entity", spec)));
        }
        List<String> refusals = new ArrayList<>();
        for (CompletableFuture<ArrayNode> answer : answers) {
            ArrayNode body = await("the paced spawn is answered", Duration.ofSeconds(50), answer);
            if (body.size() != 2 || body.get(1).asText().length() != 10) {
                refusals.add(body.toString());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Honest.Stretch during = honest.stretch();

        assertThat(refusals).as("every spawn succeeds").isEmpty();
        int owned = place.onPlace(p -> p.world().countOwnedBy(
                p.agents().stream().filter(a -> "scene builder".equals(a.displayName())).findFirst().orElseThrow().id()));
        assertThat(owned).isEqualTo(10_001);
        assertKeptUp(during, quiet);
        System.out.printf("bulk spawn of 10,000 took %.2f s; during: %s; quiet: %s%n", seconds, during, quiet);
    }

    /**
     * Attack #4: entities of 4 x 200 KB components (within every per-message limit), first sent
     * eight times faster than the place lets the world be written, then by three patient builders
     * until the budgets (scaled down here to 4 MiB for the place and 2 MiB per agent) stop them.
     */
    @Test
    @PlaceConfig({"place.max_world_bytes=4194304", "place.max_agent_bytes=2097152"})
    void hugeEntitiesCannotStallTheOthersAndTheWorldStaysSmallEnoughForALateJoiner(TestPlace place) throws Exception {
        honest = new Honest(place, 4);
        Honest.Stretch quiet = honest.quiet(Duration.ofSeconds(1));
        long heapBefore = Honest.heapMiB();
        ObjectNode huge = F.objectNode();
        for (int c = 0; c < 4; c++) {
            huge.putObject("blob" + c).put("data", "x".repeat(200_000));
        }

        honest.start();
        AlloClient flooder = attacker(place, "flooder");
        byte[] spawn = new Interaction(InteractionType.REQUEST, flooder.avatarId(), "place", "huge",
                Interaction.body("spawn_entity", huge)).encode();
        for (int i = 0; i < 80 && !flooder.disconnected().isDone(); i++) {
            flooder.sendCommand(spawn);
            Waits.wallClock(Duration.ofMillis(100), "the flood's rate: 8 MB a second, 16 times the world's write rate");
        }
        assertThat(await("the flooder is disconnected", flooder.disconnected()).data())
                .as("sending far faster than its share: told why and disconnected for its backlog").isEqualTo(1006);

        List<CompletableFuture<List<String>>> builders = new ArrayList<>();
        for (String name : List.of("builder-1", "builder-2", "builder-3")) {
            AlloClient builder = attacker(place, name);
            builders.add(CompletableFuture.supplyAsync(() -> spawnUntilRefused(builder, huge)));
        }
        List<String> refusals = new ArrayList<>();
        for (CompletableFuture<List<String>> builder : builders) {
            refusals.add(await("a patient builder is refused", Duration.ofSeconds(40), builder).get(1));
        }
        Honest.Stretch during = honest.stretch();
        long worldBytes = place.onPlace(p -> p.world().bytes());

        assertThat(refusals).as("patient builders are stopped by the budgets with a clear error")
                .allSatisfy(refusal -> assertThat(refusal).containsAnyOf("may weigh at most", "the place is full"));
        assertThat(refusals).anySatisfy(refusal -> assertThat(refusal).contains("the place is full"));
        assertThat(worldBytes).isLessThanOrEqualTo(4L << 20).isGreaterThan(3L << 20);
        assertKeptUp(during, quiet);

        AlloClient late = place.join("late joiner");
        int entities = place.onPlace(p -> p.world().entityCount());
        int seen = await("the late joiner's mirror has every entity", Duration.ofSeconds(20),
                late.awaitProbe(world -> world.size() == entities ? world.size() : null));
        assertThat(seen).as("the late joiner gets the whole world").isEqualTo(entities);
        long heapGrowth = Honest.heapMiB() - heapBefore;
        assertThat(heapGrowth).as("heap growth in MiB with a 4 MiB world (and the late joiner's mirror of it)")
                .isLessThan(100);
        System.out.printf("attack 4: world %d bytes; during: %s; quiet: %s; heap +%d MiB%n", worldBytes, during, quiet,
                heapGrowth);
    }

    /** The heartbeat was not starved, and every honest client got a diff in three heartbeats out of four. */
    private static void assertKeptUp(Honest.Stretch during, Honest.Stretch quiet) {
        if (during.placeBusy() > 0.5) {
            assertThat(during.heartbeatsPerSecond()).as("heartbeats/s while the place thread was busy (%s; quiet: %s)",
                    during, quiet).isGreaterThanOrEqualTo(quiet.requiredHeartbeatsPerSecond());
        }
        assertThat(during.slowestDiffsPerHeartbeat()).as("diffs per heartbeat of the slowest honest client (%s)", during)
                .isGreaterThanOrEqualTo(Honest.DIFFS_PER_HEARTBEAT);
    }

    /** Spawns one huge entity at a time, each after the last answer, until refused; the last two answers. */
    private static List<String> spawnUntilRefused(AlloClient builder, ObjectNode spec) {
        String previous = "";
        for (int i = 0; i < 40; i++) {
            ArrayNode answer = builder.request("place", Interaction.body("spawn_entity", spec)).join();
            if ("error".equals(answer.path(1).asText())) {
                return List.of(previous, answer.path(2).asText());
            }
            previous = answer.toString();
        }
        return List.of(previous, "never refused");
    }

    /**
     * Attack #5: ten agents with 32 costly subscriptions each, one of them publishing a
     * 20,000-element list 200 times a second.
     */
    @Test
    void costlyPublicationsAreChargedToThePublisherAndThePlaceRecoversAtOnce(TestPlace place) throws Exception {
        honest = new Honest(place, 4);
        Honest.Stretch quiet = honest.quiet(Duration.ofSeconds(1));
        List<AlloClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AlloClient subscriber = attacker(place, "subscriber-" + i);
            List<CompletableFuture<ArrayNode>> subscribed = new ArrayList<>();
            for (int k = 0; k < 32; k++) {
                subscribed.add(subscriber.request("place",
                        Interaction.body("subscribe", "[A | T] where length(T) > 0 and A in T")));
            }
            for (CompletableFuture<ArrayNode> answer : subscribed) {
                assertThat(await("a subscription is answered", answer).get(1).asText()).startsWith("sub-");
            }
            subscribers.add(subscriber);
        }
        ArrayNode list = F.arrayNode().add("needle");
        for (int i = 0; i < 20_000; i++) {
            list.add(i);
        }
        AlloClient publisher = subscribers.get(0);
        long heapBefore = Honest.heapMiB();

        honest.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int sent = 0;
        List<Integer> disconnects = new ArrayList<>();
        while (System.nanoTime() < end) {
            byte[] publication = new Interaction(InteractionType.PUBLICATION, publisher.avatarId(), "", "", list).encode();
            while (System.nanoTime() < end && !publisher.disconnected().isDone()) {
                publisher.sendCommand(publication);
                sent++;
                Waits.wallClock(Duration.ofMillis(5), "the attack's rate: 200 costly publications a second");
            }
            if (publisher.disconnected().isDone()) {
                disconnects.add(publisher.disconnected().get().data());
                publisher = attacker(place, "publisher-" + disconnects.size());
            }
        }
        Honest.Stretch during = honest.stretch();
        long heapGrowth = Honest.heapMiB() - heapBefore;

        long recovering = System.nanoTime();
        AlloClient newcomer = place.join("newcomer");
        place.mirrorOf(newcomer, "its avatar", world -> world.containsKey(newcomer.avatarId()));
        var info = place.admin().get("/api/place");
        var ready = place.admin().get("/readyz");
        double recoveredIn = (System.nanoTime() - recovering) / 1e9;

        assertKeptUp(during, quiet);
        assertThat(info.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(recoveredIn).as("a newcomer joins and gets its world, the admin API answers, right after the attack")
                .isLessThan(2.0);
        assertThat(heapGrowth).as("heap growth in MiB").isLessThan(100);
        assertThat(disconnects).as("publishers that kept sending more than their share: disconnected for their backlog")
                .allSatisfy(code -> assertThat(code).isEqualTo(1006));
        System.out.printf("attack 5: %d publications sent, %d publishers disconnected; during: %s; quiet: %s;"
                + " recovered in %.2f s; heap +%d MiB%n", sent, disconnects.size(), during, quiet, recoveredIn, heapGrowth);
    }
}
