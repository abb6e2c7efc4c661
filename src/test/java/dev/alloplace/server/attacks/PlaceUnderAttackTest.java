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
import dev.alloplace.testing.AdminCalls;
import dev.alloplace.testing.HeapGauge;
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
    /** What the heap may keep once an attack is over and its agents are gone: the test JVM's own noise. */
    private static final long BACK = 4L << 20;
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
        int entitiesBefore = place.onPlace(p -> p.world().entityCount());
        long heapBefore = HeapGauge.usedAfterGc();
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

        answers.clear();
        long heapAfter = memoryComesBack(place, "the scene builder leaves", entitiesBefore, heapBefore);
        System.out.printf("bulk spawn of 10,000 took %.2f s; during: %s; quiet: %s; heap after it %s over its baseline%n",
                seconds, during, quiet, HeapGauge.mib(heapAfter - heapBefore));
    }

    /**
     * Item 8 of the hardening issue: once the attackers are gone (their entities with them), the
     * heap in use returns to what it was before the attack.
     */
    private long memoryComesBack(TestPlace place, String after, int entitiesBefore, long heapBefore) throws Exception {
        attackers.close();
        attackers = null;
        place.untilOnPlace("the attackers' entities are gone", p -> p.world().entityCount() == entitiesBefore);
        return HeapGauge.untilBackTo(after, heapBefore, BACK);
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
        int entitiesBefore = place.onPlace(p -> p.world().entityCount());
        long heapBefore = HeapGauge.usedAfterGc();

        honest.start();
        assertThat(floodWithHugeEntities(place)).as("sending far faster than its share: told why and disconnected for"
                + " its backlog").isEqualTo(1006);
        List<CompletableFuture<List<String>>> builders = new ArrayList<>();
        for (String name : List.of("builder-1", "builder-2", "builder-3")) {
            AlloClient builder = attacker(place, name);
            builders.add(CompletableFuture.supplyAsync(() -> spawnUntilRefused(builder, hugeEntity())));
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
        // Every diff the honest clients get here carries the 800 KB entities being built; how fast
        // they take it in depends on the clients' share of a busy machine, so half of the heartbeats
        // (not three in four) is what is asked; stalled, they got none for 50 s.
        assertKeptUp(during, quiet, Honest.DIFFS_PER_HEARTBEAT_CARRYING_HUGE_ENTITIES);

        int seen = lateJoinerSees(place);
        assertThat(seen).as("the late joiner gets the whole world").isEqualTo(place.onPlace(p -> p.world().entityCount()));
        long heapGrowth = HeapGauge.usedAfterGc() - heapBefore;
        assertThat(heapGrowth).as("heap growth with a 4 MiB world (and the late joiner's mirror of it)")
                .isLessThan(100L << 20);

        long heapAfter = memoryComesBack(place, "the builders and the late joiner leave", entitiesBefore, heapBefore);
        System.out.printf("attack 4: world %d bytes; during: %s; quiet: %s; heap +%s, after the attack %s%n", worldBytes,
                during, quiet, HeapGauge.mib(heapGrowth), HeapGauge.mib(heapAfter - heapBefore));
    }

    /** An entity of 4 x 200 KB components. */
    private static ObjectNode hugeEntity() {
        ObjectNode huge = F.objectNode();
        for (int c = 0; c < 4; c++) {
            huge.putObject("blob" + c).put("data", "x".repeat(200_000));
        }
        return huge;
    }

    /** Huge entities 10 a second, 8 MB a second, until the place disconnects the flooder; its reason. */
    private int floodWithHugeEntities(TestPlace place) throws Exception {
        AlloClient flooder = attacker(place, "flooder");
        byte[] spawn = new Interaction(InteractionType.REQUEST, flooder.avatarId(), "place", "huge",
                Interaction.body("spawn_entity", hugeEntity())).encode();
        for (int i = 0; i < 80 && !flooder.disconnected().isDone(); i++) {
            flooder.sendCommand(spawn);
            Waits.wallClock(Duration.ofMillis(100), "the flood's rate: 8 MB a second, 16 times the world's write rate");
        }
        return await("the flooder is disconnected", flooder.disconnected()).data();
    }

    /**
     * The number of entities a late joiner's mirror holds once it has the whole world; it joins on
     * the attackers' host, so that its mirror goes when they do.
     */
    private int lateJoinerSees(TestPlace place) throws Exception {
        AlloClient late = await("the late joiner connects", attackers.connect(place.address(),
                ClientOptions.defaults("late joiner")));
        await("the late joiner's announce is answered", late.announce());
        int entities = place.onPlace(p -> p.world().entityCount());
        return await("the late joiner's mirror has every entity", Duration.ofSeconds(20),
                late.awaitProbe(world -> world.size() == entities ? world.size() : null));
    }

    /**
     * The ACL's cost is the sender's: 50 deny rules whose guards each walk a 10,000-element list in
     * the body to their step limit (half a million steps for every message checked), and an agent
     * sending such messages 100 times a second. The steps are charged to the sender's share, so its
     * messages wait in its own queue instead of taking the place thread from everyone. With no
     * time to spare (agent_spare_work_per_heartbeat=0): a place this quiet would work the flood off.
     */
    @Test
    @PlaceConfig("place.agent_spare_work_per_heartbeat=0")
    void costlyAclRulesAreChargedToTheSenderWhoseMessagesWaitTheirTurn(TestPlace place) throws Exception {
        String guard = "[\"interaction\", _, _, _, _, [A | T]] when length(T) > 0 and A in T";
        AdminCalls admin = place.admin();
        for (int i = 0; i < 50; i++) {
            AdminCalls.Reply added = admin.post("/api/acl", "{\"effect\":\"deny\",\"guard\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(guard) + ",\"position\":0}");
            assertThat(added.status()).as(added.body()).isEqualTo(200);
        }
        honest = new Honest(place, 4);
        Honest.Stretch quiet = honest.quiet(Duration.ofSeconds(1));
        AlloClient sink = attacker(place, "sink");
        AlloClient sender = attacker(place, "sender");
        java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        sink.onInteraction(interaction -> delivered.incrementAndGet());
        ArrayNode list = F.arrayNode().add("needle");
        for (int i = 0; i < 10_000; i++) {
            list.add(0);
        }
        byte[] costly = new Interaction(InteractionType.ONEWAY, sender.avatarId(), sink.avatarId(), "", list).encode();
        double unitsBefore = workUnits(admin);

        honest.start();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(3);
        int sent = 0;
        while (System.nanoTime() < end && !sender.disconnected().isDone()) {
            // On schedule, however late a busy machine wakes the sender: its share lets ~40 a second
            // through, and at half its rate the sender would no longer leave a quarter waiting.
            for (long due = (System.nanoTime() - start) / 10_000_000L + 1; sent < due; sent++) {
                sender.sendCommand(costly);
            }
            Waits.wallClock(Duration.ofMillis(10), "the attack's rate: 100 costly messages a second");
        }
        Honest.Stretch during = honest.stretch();
        int deliveredDuring = delivered.get();
        double charged = workUnits(admin) - unitsBefore;

        assertKeptUp(during, quiet);
        assertThat(deliveredDuring).as("messages that got through the rules while the sender flooded").isPositive()
                .isLessThan(sent * 3 / 4);
        assertThat(charged).as("work units charged for %d messages checked against the rules", deliveredDuring)
                .isGreaterThanOrEqualTo(deliveredDuring * 50 * 10_000 / 1_000.0);
        System.out.printf("costly ACL: %d sent, %d through the rules during the flood, %.0f work units charged; during: %s;"
                + " quiet: %s%n", sent, deliveredDuring, charged, during, quiet);
    }

    /** The place's {@code alloplace_work_units_total}: work units charged to agents since start. */
    private static double workUnits(AdminCalls admin) {
        return admin.get("/metrics").body().lines().filter(line -> line.startsWith("alloplace_work_units_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** The heartbeat was not starved, and every honest client got a diff in three heartbeats out of four. */
    private static void assertKeptUp(Honest.Stretch during, Honest.Stretch quiet) {
        assertKeptUp(during, quiet, Honest.DIFFS_PER_HEARTBEAT);
    }

    private static void assertKeptUp(Honest.Stretch during, Honest.Stretch quiet, double diffsPerHeartbeat) {
        if (during.placeBusy() > 0.5) {
            assertThat(during.heartbeatsPerSecond()).as("heartbeats/s while the place thread was busy (%s; quiet: %s)",
                    during, quiet).isGreaterThanOrEqualTo(quiet.requiredHeartbeatsPerSecond());
        }
        assertThat(during.slowestDiffsPerHeartbeat()).as("diffs per heartbeat of the slowest honest client (%s)", during)
                .isGreaterThanOrEqualTo(diffsPerHeartbeat);
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
        long heapBefore = HeapGauge.usedAfterGc();

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
        long heapGrowth = HeapGauge.usedAfterGc() - heapBefore;

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
        assertThat(heapGrowth).as("heap growth").isLessThan(100L << 20);
        assertThat(disconnects).as("publishers that kept sending more than their share: disconnected for their backlog")
                .allSatisfy(code -> assertThat(code).isEqualTo(1006));
        place.leave(newcomer);
        attackers.close();
        attackers = null;
        long heapAfter = HeapGauge.untilBackTo("the publishers leave", heapBefore, BACK);
        System.out.printf("attack 5: %d publications sent, %d publishers disconnected; during: %s; quiet: %s;"
                + " recovered in %.2f s; heap +%s, after the attack %s%n", sent, disconnects.size(), during, quiet,
                recoveredIn, HeapGauge.mib(heapGrowth), HeapGauge.mib(heapAfter - heapBefore));
    }
}
