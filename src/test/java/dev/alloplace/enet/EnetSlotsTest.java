package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Newcomers (half-open handshakes and connections the application has not admitted) hold only
 * their share of the slots, per address and in total; a refused CONNECT is told why; a
 * handshake that does not complete gives its slot back. In memory, on a stepped clock.
 */
class EnetSlotsTest {

    private static InetSocketAddress address(int host, int port) {
        return new InetSocketAddress("127.0.0." + host, port);
    }

    private static HostPair pair(EnetSettings settings) {
        return new HostPair(settings, EnetSettings.loopbackClient());
    }

    @Test
    void oneAddressGetsItsShareOfNewcomerSlotsThenARefusalThatSaysSo() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(32).maxNewcomersPerAddress(8).build());
        for (int i = 0; i < 8; i++) {
            pair.raw(address(2, 50000 + i)).handshake(100 + i);
        }
        assertThat(pair.serverEvents.connects).hasSize(8);

        HostPair.RawPeer ninth = pair.raw(address(2, 50100));
        ninth.connect(999);

        assertThat(ninth.refusal()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
        assertThat(pair.server.refusals()).isEqualTo(1);
        HostPair.RawPeer elsewhere = pair.raw(address(3, 50000));
        elsewhere.handshake(7);
        assertThat(pair.serverEvents.connects).as("another address still gets in").hasSize(9);
    }

    @Test
    void admittedConnectionsLeaveTheNewcomersShare() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(32).maxNewcomersPerAddress(4).build());
        List<ConnectionId> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pair.raw(address(2, 50000 + i)).handshake(100 + i);
            first.add(pair.serverEvents.connects.poll().id());
        }
        HostPair.RawPeer fifth = pair.raw(address(2, 50050));
        fifth.connect(50);
        assertThat(fifth.refusal()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
        assertThat(pair.server.newcomers()).isEqualTo(4);

        first.forEach(pair.server::admit);

        assertThat(pair.server.newcomers()).isZero();
        for (int i = 0; i < 4; i++) {
            pair.raw(address(2, 50010 + i)).handshake(200 + i);
        }
        assertThat(pair.serverEvents.connects).as("four more newcomers from the same address").hasSize(4);
    }

    @Test
    void newcomersFromManyAddressesAreCappedInTotalAndAdmissionMakesRoom() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(4).maxNewcomersPerAddress(8).build());
        List<ConnectionId> ids = new ArrayList<>();
        for (int host = 2; host < 6; host++) {
            pair.raw(address(host, 50000)).handshake(host);
            ids.add(pair.serverEvents.connects.poll().id());
        }
        HostPair.RawPeer fifth = pair.raw(address(6, 50000));
        fifth.connect(6);
        assertThat(fifth.refusal()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS);

        pair.server.admit(ids.get(0));
        pair.raw(address(6, 50001)).handshake(61);

        assertThat(pair.serverEvents.connects).hasSize(1);
    }

    @Test
    void aHandshakeThatNeverCompletesGivesItsSlotBackAfterTheHandshakeTimeout() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(32).maxNewcomersPerAddress(2)
                .handshakeTimeoutMillis(2_000).build());
        pair.raw(address(2, 50000)).connect(1);
        pair.raw(address(2, 50001)).connect(2);
        HostPair.RawPeer third = pair.raw(address(2, 50002));
        third.connect(3);
        assertThat(third.refusal()).isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
        assertThat(pair.server.newcomers()).isEqualTo(2);

        pair.advance(1_000);
        assertThat(pair.server.newcomers()).as("within the timeout").isEqualTo(2);
        pair.advance(1_000);

        assertThat(pair.server.newcomers()).isZero();
        pair.raw(address(2, 50003)).handshake(4);
        assertThat(pair.serverEvents.connects).hasSize(1);
        assertThat(pair.serverEvents.disconnects).as("half-open handshakes never raised events").isEmpty();
    }

    @Test
    void aFullServerRefusesWithServerFull() {
        HostPair pair = pair(EnetSettings.builder().maxPeers(2).maxNewcomers(32).maxNewcomersPerAddress(8).build());
        pair.raw(address(2, 50000)).handshake(1);
        pair.raw(address(3, 50000)).handshake(2);
        HostPair.RawPeer third = pair.raw(address(4, 50000));
        third.connect(3);
        assertThat(third.refusal()).isEqualTo(DisconnectReasons.SERVER_FULL);
    }

    @Test
    void aFloodOfConnectsGetsAtMostOneRefusalPerAddressPerInterval() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(32).maxNewcomersPerAddress(1).build());
        pair.raw(address(2, 50000)).handshake(1);
        HostPair.RawPeer flooder = pair.raw(address(2, 50001));
        int refusals = 0;
        for (int i = 0; i < 200; i++) {
            flooder.connect(1000 + i);
            if (flooder.refusal() >= 0) {
                refusals++;
            }
        }
        assertThat(pair.server.refusals()).isEqualTo(200);
        assertThat(refusals).as("refusals actually sent within one interval").isEqualTo(1);

        pair.now += Handshake.REFUSAL_INTERVAL_MILLIS;
        flooder.connect(5000);
        assertThat(flooder.refusal()).as("the next interval gets one again")
                .isEqualTo(DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
    }

    @Test
    void ourOwnConnectionsAreNotNewcomers() {
        HostPair pair = pair(EnetSettings.builder().maxNewcomers(1).maxNewcomersPerAddress(1).build());
        pair.connect(2);
        assertThat(pair.client.newcomers()).isZero();
        assertThat(pair.server.newcomers()).isEqualTo(1);
    }
}
