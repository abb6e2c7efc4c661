package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.testing.NativePeers;
import dev.alloplace.testing.RecordingListener;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectRefusedException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a refused peer observes: a C libenet client and our Java client get a disconnect that
 * names the limit (instead of retrying into a timeout), and get in once the limit clears.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnetRefusalInteropTest {

    private static Path peerProgram;

    @BeforeAll
    static void buildPeer() {
        peerProgram = NativePeers.build("enet_peer");
    }

    @Test
    void aCClientRefusedForTooManyNewcomersSeesTheReasonAndGetsInOnceHalfOpenHandshakesExpire() throws Exception {
        RecordingListener events = new RecordingListener();
        EnetSettings settings = EnetSettings.builder().bind("127.0.0.1", 0).maxNewcomers(32).maxNewcomersPerAddress(2)
                .handshakeTimeoutMillis(1_500).build();
        try (EnetTransport transport = new EnetTransport(settings);
                DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = transport.start(events).join();
            for (int i = 0; i < 2; i++) {
                byte[] connect = EnetRobustnessTest.connectDatagram(1000 + i);
                attacker.send(new DatagramPacket(connect, connect.length, address));
            }
            awaitNewcomers(transport, 2);

            try (NativePeers.Running refused = NativePeers.start(peerProgram, "client", "" + address.getPort(), "6")) {
                assertThat(refused.awaitLine("disconnected", 5_000))
                        .isEqualTo("disconnected " + DisconnectReasons.TOO_MANY_NEWCOMERS_FROM_ADDRESS);
                assertThat(refused.awaitExit(5_000)).isZero();
            }
            assertThat(events.connects).isEmpty();

            awaitNewcomers(transport, 0);
            try (NativePeers.Running admitted = NativePeers.start(peerProgram, "client", "" + address.getPort(), "6")) {
                assertThat(admitted.awaitLine("connected", 5_000)).isEqualTo("connected 6 0");
                assertThat(events.awaitConnect(5_000).channelCount()).isEqualTo(6);
            }
        }
    }

    @Test
    void aJavaClientRefusedByAFullServerFailsWithTheReason() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        EnetSettings settings = EnetSettings.builder().bind("127.0.0.1", 0).maxPeers(1).build();
        try (EnetTransport server = new EnetTransport(settings);
                EnetTransport first = new EnetTransport(EnetSettings.loopbackClient());
                EnetTransport second = new EnetTransport(EnetSettings.loopbackClient())) {
            InetSocketAddress address = server.start(serverEvents).join();
            first.start(new RecordingListener()).join();
            second.start(new RecordingListener()).join();
            Waits.await("the first client connects", first.connect(address, 2, 0));

            assertThatThrownBy(() -> Waits.await("the second client is refused", second.connect(address, 2, 0)))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectRefusedException.class)
                    .satisfies(e -> assertThat(((ConnectRefusedException) e).reason())
                            .isEqualTo(DisconnectReasons.SERVER_FULL));
        }
    }

    private static void awaitNewcomers(EnetTransport transport, int expected) {
        Waits.until("the host counts " + expected + " newcomers",
                () -> transport.call(() -> transport.newcomers()).join() == expected);
    }
}
