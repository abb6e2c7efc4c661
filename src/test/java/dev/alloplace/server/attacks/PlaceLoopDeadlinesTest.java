package dev.alloplace.server.attacks;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.place.LoopHealth;
import dev.alloplace.place.Place;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.AdminCalls;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.RecordingTransport;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the place loop does by its own clock, stepped by the test: the announce deadline (attack
 * #6: connections that complete the handshake and never announce) and readiness that tells
 * whether the loop keeps up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceLoopDeadlinesTest {

    /** Moves the place's clock by {@code by} and waits for the heartbeat that follows. */
    private static LoopHealth beatAfter(TestPlace place, Duration by) throws Exception {
        CompletableFuture<LoopHealth> beat = place.place().nextHeartbeat();
        place.clock().orElseThrow().advance(by);
        return await("the heartbeat after " + by.toMillis() + " ms", beat);
    }

    @Test
    void aConnectionThatNeverAnnouncesIsToldWhyAndDisconnectedAtTheDeadline() throws Exception {
        RecordingTransport[] transport = new RecordingTransport[1];
        try (TestPlace place = TestPlace.builder().clock(new ManualClock())
                .transports(settings -> transport[0] = new RecordingTransport(new EnetTransport(settings))).start()) {
            AlloClient lurker = place.connect(ClientOptions.defaults("lurker"));
            awaitAgents(place, 1);
            CompletableFuture<JsonNode> notice = new CompletableFuture<>();
            lurker.onOtherCommand(notice::complete);
            beatAfter(place, Duration.ofSeconds(5));
            AlloClient member = place.join("member");

            beatAfter(place, Duration.ofMillis(4_900));
            assertThat(lurker.disconnected()).as("9.9 s after connecting").isNotDone();
            beatAfter(place, Duration.ofMillis(200));

            assertThat(await("the lurker is disconnected", lurker.disconnected()).data()).isEqualTo(1007);
            assertThat(await("the lurker is told why", notice).toString())
                    .isEqualTo("[\"disconnecting\",1007,\"no announce within 10000 ms of connecting\"]");
            beatAfter(place, Duration.ofSeconds(10));
            assertThat(member.disconnected()).as("announced in time: a member, for good").isNotDone();
            assertThat(place.ask(member, "list_agents").toString()).contains("member").doesNotContain("lurker");
            assertThat(transport[0].admitted()).as("the transport hears who announced")
                    .hasSize(1).allSatisfy(id -> assertThat(id).isNotEqualTo(lurker.connection()));
        }
    }

    @Test
    @PlaceConfig(value = "place.ready_max_backlog_messages=50", manualClock = true)
    void readinessFailsWhileTheLoopIsBehindAndRecoversAfter(TestPlace place, ManualClock clock) throws Exception {
        Place loop = place.place();
        AdminCalls admin = place.admin();
        assertThat(admin.get("/readyz").body()).isEqualTo("not ready: the place has not beaten yet\n");
        beatAfter(place, Duration.ofMillis(50));
        assertThat(admin.get("/readyz").status()).isEqualTo(200);

        CountDownLatch release = new CountDownLatch(1);
        hold(loop, release);
        clock.advance(Duration.ofSeconds(2));
        AdminCalls.Reply late = admin.get("/readyz");
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.body()).startsWith("not ready: the heartbeat is ").endsWith(" ms late\n");
        assertThat(loop.health().heartbeatLatenessMillis()).isGreaterThan(1_000);
        CompletableFuture<LoopHealth> caughtUp = loop.nextHeartbeat();
        release.countDown();
        assertThat(await("the heartbeat after the loop is released", caughtUp).ready()).isTrue();
        assertThat(admin.get("/readyz").body()).isEqualTo("ready\n");

        AlloClient chatty = place.join("chatty");
        CountDownLatch releaseAgain = new CountDownLatch(1);
        hold(loop, releaseAgain);
        for (int i = 0; i < 100; i++) {
            chatty.send(new Interaction(InteractionType.ONEWAY, chatty.avatarId(), chatty.avatarId(), "", Interaction.body("hi")));
        }
        Waits.until("the place counts chatty's 100 messages as waiting", () -> loop.health().backlogMessages() >= 100);
        AdminCalls.Reply backlogged = admin.get("/readyz");
        assertThat(backlogged.status()).isEqualTo(503);
        assertThat(backlogged.body()).matches("not ready: 1\\d\\d messages are waiting for the place loop\n");
        releaseAgain.countDown();
        LoopHealth after = beatAfter(place, Duration.ofMillis(50));
        for (int beats = 1; beats < 10 && after.backlogMessages() > 0; beats++) {
            after = beatAfter(place, Duration.ofMillis(50));
        }
        assertThat(after.backlogMessages()).as("the backlog is worked off a slice per turn (%s)", after).isZero();
        assertThat(admin.get("/readyz").body()).isEqualTo("ready\n");
    }

    /**
     * Until the place counts {@code count} connections: the server side of an ENet handshake
     * completes a moment after the client's, and the deadline counts from the server's.
     */
    private static void awaitAgents(TestPlace place, int count) {
        place.untilOnPlace("the place counts " + count + " connection(s)", p -> p.agents().size() >= count);
    }

    /**
     * Holds the place thread until {@code latch} opens (a loop stuck in one piece of work) and
     * returns once it is held: a loop still parked until its next deadline is not late yet, and
     * an empty place's next deadline is a second away.
     */
    private static void hold(Place loop, CountDownLatch latch) throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        loop.call(p -> {
            held.complete(null);
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        await("the place thread is held", held);
    }
}
