package dev.alloplace.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.DisconnectReasons;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectRefusedException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack #6 of the hardening issue, its handshake part: CONNECT floods that hold slots. Before,
 * 64 half-open handshakes from each of 2 addresses filled all 128 slots, and completed
 * handshakes that never announce held theirs as long as the attacker acknowledged. Now
 * newcomers hold a bounded share, per address and in total, and are refused with a reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class HandshakeFloodTest {

    private final List<RawEnetPeer> attackers = new ArrayList<>();
    private final AtomicBoolean flooding = new AtomicBoolean(true);
    private final AtomicReference<Throwable> floodFailure = new AtomicReference<>();
    private Thread flood;

    @AfterEach
    void stop() throws InterruptedException {
        flooding.set(false);
        if (flood != null) {
            flood.join(10_000);
        }
        attackers.forEach(RawEnetPeer::close);
    }

    @Test
    void aFloodFromTwoAddressesHoldsOnlyTheirShareAndHonestJoinsKeepWorking(TestPlace place) throws Exception {
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        long baseline = HonestCrowd.usedHeapAfterGc();
        startFlood(place, 2, 3);
        Waits.until("each flooding address holds its share of the newcomers' slots", () -> attackers.stream()
                .allMatch(a -> a.lastRefusal() == DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS));

        List<String> joined = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            joined.add(crowd.newcomer().avatarId());
        }
        double diffRate = crowd.slowestDiffRate(2_000);
        long during = HonestCrowd.usedHeapAfterGc();
        stopFlood();

        HonestCrowd.report("handshake flood (2 addresses): %d of 5 joins, heap +%s, slowest honest %.1f diffs/s",
                joined.size(), HonestCrowd.mib(during - baseline), diffRate);
        assertThat(floodFailure.get()).isNull();
        assertThat(joined).as("honest joins during the flood").hasSize(5).doesNotContainNull();
        assertThat(diffRate).as("diffs per second of the slowest honest client").isGreaterThanOrEqualTo(5);
        assertThat(crowd.allConnected()).isTrue();
        for (RawEnetPeer attacker : attackers) {
            assertThat(attacker.refusals()).as("the flood is told it is refused").isPositive();
            assertThat(attacker.lastRefusal()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
        }
        assertThat(during - baseline).as("heap growth during the flood (%s)", HonestCrowd.mib(during - baseline))
                .isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aFloodFromManyAddressesFillsOnlyTheNewcomersShareAndMembersKeepPlaying(TestPlace place) throws Exception {
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        startFlood(place, 2, 3, 4, 5, 6, 7);
        Waits.until("the flood holds the newcomers' whole share",
                () -> attackers.stream().anyMatch(a -> a.lastRefusal() == DisconnectReasons.TOO_MANY_NEWCOMERS));

        double diffRate = crowd.slowestDiffRate(2_000);
        Throwable refused = null;
        try {
            place.connect(ClientOptions.defaults("late"));
        } catch (ExecutionException e) {
            refused = e.getCause();
        }
        stopFlood();

        assertThat(diffRate).as("members keep their slots and their diffs").isGreaterThanOrEqualTo(5);
        assertThat(crowd.allConnected()).isTrue();
        assertThat(refused).as("a join while newcomers hold their whole share is refused, and told why")
                .isInstanceOf(ConnectRefusedException.class);
        assertThat(((ConnectRefusedException) refused).reason()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS);
        assertThat(floodFailure.get()).isNull();
    }

    /** Attackers on {@code 127.0.0.<host>} open 64 connections every 250 ms, completing every one they get. */
    private void startFlood(TestPlace place, int... hosts) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", place.address().getPort());
        for (int host : hosts) {
            attackers.add(new RawEnetPeer(host, server));
        }
        flood = new Thread(() -> {
            int nextId = 1;
            try {
                while (flooding.get()) {
                    for (RawEnetPeer attacker : attackers) {
                        for (int i = 0; i < 64; i++) {
                            attacker.connect(nextId++);
                        }
                    }
                    for (RawEnetPeer attacker : attackers) {
                        attacker.answer(250 / attackers.size());
                    }
                }
            } catch (Exception e) {
                if (flooding.get()) {
                    floodFailure.set(e);
                }
            }
        }, "handshake-flood");
        flood.setDaemon(true);
        flood.start();
    }

    private void stopFlood() throws InterruptedException {
        flooding.set(false);
        flood.join(10_000);
    }
}
