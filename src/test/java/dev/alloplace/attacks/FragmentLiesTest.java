package dev.alloplace.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.HeapGauge;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack #1 of the hardening issue: ENet fragments that lie about the size of their message.
 * Before, the reassembly buffer was allocated whole from the claimed length: 40 peers sending
 * one 44-byte SEND_FRAGMENT claiming 32 MiB took the server from 316 MB to 1.5 GB. Now only
 * what arrives is held, within a cap per peer and one for the host.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class FragmentLiesTest {

    private static final int MIB = 1024 * 1024;
    /** What the heap may keep once an attack is over and its peers are gone: the test JVM's own noise. */
    private static final long BACK = 4L * MIB;
    private final List<RawEnetPeer> attackers = new ArrayList<>();

    @AfterEach
    void stop() {
        attackers.forEach(RawEnetPeer::close);
    }

    @Test
    void fortyFragmentsClaimingThirtyTwoMebibytesEachReserveNothingAndHonestClientsPlayOn(TestPlace place)
            throws Exception {
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        long baseline = HeapGauge.usedAfterGc();

        int liars = 0;
        for (int host = 2; host <= 4; host++) {
            RawEnetPeer attacker = attack(place, host);
            for (RawEnetPeer.Connection connection : attacker.completed(host * 100, 14).values()) {
                attacker.fragment(connection, 1, 1, 32 * 1024, 0, 32 * MIB, 0, new byte[16]);
                liars++;
            }
        }
        double diffRate = crowd.slowestDiffRate(2_000);
        long during = HeapGauge.usedAfterGc();

        HonestCrowd.report("fragment lies: %d liars, heap +%s, slowest honest %.1f diffs/s", liars,
                HeapGauge.mib(during - baseline), diffRate);
        assertThat(liars).as("lying peers that got in").isEqualTo(42);
        assertThat(during - baseline).as("heap growth for %d lies of 32 MiB (%s)", liars, HeapGauge.mib(during - baseline))
                .isLessThan(16L * MIB);
        assertThat(diffRate).as("diffs per second of the slowest honest client").isGreaterThanOrEqualTo(5);
        assertThat(crowd.allConnected()).isTrue();
        assertThat(crowd.newcomer().avatarId()).as("a newcomer joins during the attack").isNotEmpty();

        attackers.forEach(RawEnetPeer::close);
        long after = HeapGauge.untilBackTo("the liars fall silent", baseline, BACK);
        HonestCrowd.report("fragment lies: heap after the attack %s over its baseline", HeapGauge.mib(after - baseline));
    }

    @Test
    @PlaceConfig({"server.max_reassembly_bytes_per_peer=4194304", "server.max_reassembly_bytes=16777216"})
    void peersThatReallySendTheirBytesAreHeldToTheHostCapAndTheBiggestGoFirst(TestPlace place) throws Exception {
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        long baseline = HeapGauge.usedAfterGc();

        RawEnetPeer attacker = attack(place, 2);
        List<RawEnetPeer.Connection> connections = new ArrayList<>(attacker.completed(1, 8).values());
        byte[] piece = new byte[1300];
        int pieces = 4 * MIB / piece.length;
        for (int number = 0; number < pieces; number++) {
            for (RawEnetPeer.Connection connection : connections) {
                attacker.fragment(connection, 1 + number, 1, 32 * 1024, number, 32 * MIB, number * piece.length, piece);
            }
            if (number % 16 == 15) {
                attacker.answer(5);
            }
        }
        double diffRate = crowd.slowestDiffRate(2_000);
        long during = HeapGauge.usedAfterGc();

        HonestCrowd.report("fragment bytes: heap +%s, slowest honest %.1f diffs/s", HeapGauge.mib(during - baseline),
                diffRate);
        attacker.answer(500);
        assertThat(attacker.refusals()).as("attackers dropped for the caps were told").isPositive();
        assertThat(during - baseline).as("heap growth while 8 peers send 4 MiB each into a 16 MiB cap (%s)",
                HeapGauge.mib(during - baseline)).isLessThan(40L * MIB);
        assertThat(diffRate).as("diffs per second of the slowest honest client").isGreaterThanOrEqualTo(5);
        assertThat(crowd.allConnected()).isTrue();
        assertThat(crowd.newcomer().avatarId()).isNotEmpty();

        attacker.close();
        long after = HeapGauge.untilBackTo("the senders fall silent", baseline, BACK);
        HonestCrowd.report("fragment bytes: heap +%s during, %s after the attack", HeapGauge.mib(during - baseline),
                HeapGauge.mib(after - baseline));
        assertThat(crowd.allConnected()).isTrue();
    }

    private RawEnetPeer attack(TestPlace place, int host) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", place.address().getPort());
        RawEnetPeer attacker = new RawEnetPeer(host, server);
        attackers.add(attacker);
        return attacker;
    }
}
