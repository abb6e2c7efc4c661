package dev.alloplace.server.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.place.LoopHealth;
import dev.alloplace.place.Place;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.RecordingTransport;
import dev.alloplace.testing.TestPlace;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the place loop does by its own clock, stepped by the test: the announce deadline (attack
 * #6: connections that complete the handshake and never announce) and readiness that tells
 * whether the loop keeps up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlaceLoopDeadlinesTest {

    private final ManualClock clock = new ManualClock();
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
    }

    /** Moves the place's clock by {@code by} and waits for the heartbeat that follows. */
    private LoopHealth beatAfter(Duration by) throws Exception {
        CompletableFuture<LoopHealth> beat = place.server().place().nextHeartbeat();
        clock.advance(by);
        return beat.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionThatNeverAnnouncesIsToldWhyAndDisconnectedAtTheDeadline() throws Exception {
        RecordingTransport[] transport = new RecordingTransport[1];
        place = TestPlace.start(Map.of(), clock, settings -> transport[0] = new RecordingTransport(new EnetTransport(settings)));
        AlloClient lurker = place.connect(ClientOptions.defaults("lurker"));
        awaitAgents(1);
        CompletableFuture<JsonNode> notice = new CompletableFuture<>();
        lurker.onOtherCommand(notice::complete);
        beatAfter(Duration.ofSeconds(5));
        AlloClient member = place.join("member", ClientOptions.defaults("member"));

        beatAfter(Duration.ofMillis(4_900));
        assertThat(lurker.disconnected()).as("9.9 s after connecting").isNotDone();
        beatAfter(Duration.ofMillis(200));

        assertThat(lurker.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1007);
        assertThat(notice.get(5, TimeUnit.SECONDS).toString())
                .isEqualTo("[\"disconnecting\",1007,\"no announce within 10000 ms of connecting\"]");
        beatAfter(Duration.ofSeconds(10));
        assertThat(member.disconnected()).as("announced in time: a member, for good").isNotDone();
        assertThat(member.request("place", Interaction.body("list_agents")).get(5, TimeUnit.SECONDS).toString())
                .contains("member").doesNotContain("lurker");
        assertThat(transport[0].admitted()).as("the transport hears who announced")
                .hasSize(1).allSatisfy(id -> assertThat(id).isNotEqualTo(lurker.connection()));
    }

    @Test
    void readinessFailsWhileTheLoopIsBehindAndRecoversAfter() throws Exception {
        place = TestPlace.start(Map.of("place.ready_max_backlog_messages", "50"), clock);
        Place loop = place.server().place();
        assertThat(readyz().body()).isEqualTo("not ready: the place has not beaten yet\n");
        beatAfter(Duration.ofMillis(50));
        assertThat(readyz().statusCode()).isEqualTo(200);

        CountDownLatch release = new CountDownLatch(1);
        loop.call(p -> await(release));
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> late = readyz();
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.body()).startsWith("not ready: the heartbeat is ").endsWith(" ms late\n");
        assertThat(loop.health().heartbeatLatenessMillis()).isGreaterThan(1_000);
        CompletableFuture<LoopHealth> caughtUp = loop.nextHeartbeat();
        release.countDown();
        assertThat(caughtUp.get(5, TimeUnit.SECONDS).ready()).isTrue();
        assertThat(readyz().body()).isEqualTo("ready\n");

        AlloClient chatty = place.join("chatty", ClientOptions.defaults("chatty"));
        CountDownLatch releaseAgain = new CountDownLatch(1);
        loop.call(p -> await(releaseAgain));
        for (int i = 0; i < 100; i++) {
            chatty.send(new Interaction(InteractionType.ONEWAY, chatty.avatarId(), chatty.avatarId(), "", Interaction.body("hi")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop.health().backlogMessages() < 100 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        HttpResponse<String> backlogged = readyz();
        assertThat(backlogged.statusCode()).isEqualTo(503);
        assertThat(backlogged.body()).matches("not ready: 1\\d\\d messages are waiting for the place loop\n");
        releaseAgain.countDown();
        LoopHealth after = beatAfter(Duration.ofMillis(50));
        for (int beats = 1; beats < 10 && after.backlogMessages() > 0; beats++) {
            after = beatAfter(Duration.ofMillis(50));
        }
        assertThat(after.backlogMessages()).as("the backlog is worked off a slice per turn (%s)", after).isZero();
        assertThat(readyz().body()).isEqualTo("ready\n");
    }

    /**
     * Until the place counts {@code count} connections: the server side of an ENet handshake
     * completes a moment after the client's, and the deadline counts from the server's.
     */
    private void awaitAgents(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (place.server().place().call(p -> p.agents().size()).get(5, TimeUnit.SECONDS) < count
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private HttpResponse<String> readyz() throws Exception {
        return Honest.admin(place, "/readyz");
    }

    private static Void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
