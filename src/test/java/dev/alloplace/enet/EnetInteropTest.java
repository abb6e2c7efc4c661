package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.NativePeers;
import dev.alloplace.testing.RecordingListener;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our ENet against the C library (Debian libenet), in both roles: a C peer echoes whatever we
 * send, so each scenario proves C receiving from us and us receiving from C.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EnetInteropTest {

    private static final int MESSAGES_PER_CHANNEL = 10_000;
    /** How long 60,000 reliable messages and 1 MiB may take to come back (a test of 2-4 s in all on a quiet machine). */
    private static final Duration RELIABLE_ECHOES = Duration.ofSeconds(60);
    private static Path peerProgram;

    @BeforeAll
    static void buildPeer() {
        peerProgram = NativePeers.build("enet_peer");
    }

    static EnetSettings server() {
        return EnetSettings.builder().bind("127.0.0.1", 0).build();
    }

    @Test
    void cClientConnectsToJavaServerAndEchoesEverythingInOrder() throws Exception {
        RecordingListener events = new RecordingListener();
        try (EnetTransport transport = new EnetTransport(server())) {
            InetSocketAddress address = transport.start(events).join();
            try (NativePeers.Running c = NativePeers.start(peerProgram, "client", "" + address.getPort(), "6")) {
                RecordingListener.Connected connected = events.awaitConnect(5_000);
                assertThat(connected.channelCount()).isEqualTo(6);
                assertThat(connected.data()).isZero();
                c.awaitLine("connected 6", 5_000);

                exchangeWorkload(transport, connected.id(), events);

                transport.disconnectLater(connected.id(), 1005);
                assertThat(c.awaitLine("disconnected", 5_000)).isEqualTo("disconnected 1005");
                assertThat(events.awaitDisconnect(5_000).cause()).isEqualTo(DisconnectCause.LOCAL);
                assertThat(c.awaitExit(5_000)).isZero();
            }
        }
    }

    @Test
    void javaClientConnectsToCServerAndCDisconnectsWithReason() throws Exception {
        int port = NativePeers.freeUdpPort();
        RecordingListener events = new RecordingListener();
        try (NativePeers.Running c = NativePeers.start(peerProgram, "server", "" + port, "6");
                EnetTransport transport = new EnetTransport(EnetSettings.loopbackClient())) {
            c.awaitLine("listening", 5_000);
            transport.start(events).join();
            ConnectionId id = Waits.await("the Java client connects to the C server",
                    transport.connect(new InetSocketAddress("127.0.0.1", port), 6, 1234));
            assertThat(c.awaitLine("connected", 5_000)).isEqualTo("connected 6 1234");
            assertThat(events.awaitConnect(1_000).id()).isEqualTo(id);

            exchangeWorkload(transport, id, events);

            transport.send(id, 1, "disconnect".getBytes(StandardCharsets.UTF_8), Delivery.RELIABLE);
            RecordingListener.Disconnected gone = events.awaitDisconnect(5_000);
            assertThat(gone.cause()).isEqualTo(DisconnectCause.REMOTE);
            assertThat(gone.data()).isEqualTo(42);
            assertThat(c.awaitLine("disconnected", 5_000)).isEqualTo("disconnected 0");
        }
    }

    @Test
    void aPeerThatFallsSilentTimesOut() throws Exception {
        RecordingListener events = new RecordingListener();
        EnetSettings quick = server().toBuilder().timeouts(32, 1_000, 2_000).build();
        try (EnetTransport transport = new EnetTransport(quick)) {
            InetSocketAddress address = transport.start(events).join();
            try (NativePeers.Running c = NativePeers.start(peerProgram, "client", "" + address.getPort(), "6")) {
                ConnectionId id = events.awaitConnect(5_000).id();
                transport.send(id, 1, "silent".getBytes(StandardCharsets.UTF_8), Delivery.RELIABLE);
                c.awaitLine("silent", 5_000);
                long start = System.nanoTime();
                transport.send(id, 1, "are you there".getBytes(StandardCharsets.UTF_8), Delivery.RELIABLE);

                RecordingListener.Disconnected gone = events.awaitDisconnect(10_000);

                assertThat(gone.cause()).isEqualTo(DisconnectCause.TIMEOUT);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 6_000L);
            }
        }
    }

    @Test
    void twoHundredCPeersConnectAtOnce() throws Exception {
        RecordingListener events = new RecordingListener();
        try (EnetTransport transport = new EnetTransport(server().toBuilder().maxPeers(256).maxPeersPerAddress(256)
                .maxHalfOpenPerAddress(256).maxNewcomers(256).maxNewcomersPerAddress(256).build())) {
            InetSocketAddress address = transport.start(events).join();
            try (NativePeers.Running c = NativePeers.start(peerProgram, "client", "" + address.getPort(), "5", "200")) {
                c.awaitLine("all-connected 200", 20_000);
                List<ConnectionId> ids = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    RecordingListener.Connected connected = events.awaitConnect(5_000);
                    assertThat(connected.channelCount()).isEqualTo(5);
                    ids.add(connected.id());
                }
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(transport.call(() -> transport.stats().connections()).join()).isBetween(0, 200);
                for (ConnectionId id : ids) {
                    transport.send(id, 1, ("hi " + id.value()).getBytes(StandardCharsets.UTF_8), Delivery.RELIABLE);
                }
                for (int i = 0; i < 200; i++) {
                    RecordingListener.Received echo = events.awaitMessage(5_000);
                    assertThat(new String(echo.payload(), StandardCharsets.UTF_8)).isEqualTo("hi " + echo.id().value());
                }
            }
        }
    }

    /**
     * Sends ordered reliable traffic on all 6 channels, a 1 MiB message, and unreliable and
     * unsequenced messages; checks the echoes (reliable: all, in order; unreliable: in order).
     */
    static void exchangeWorkload(EnetTransport transport, ConnectionId id, RecordingListener events) throws Exception {
        for (int i = 0; i < 100; i++) {
            transport.send(id, 2, ByteBuffer.allocate(9).put((byte) 'u').putInt(2).putInt(i).array(), Delivery.UNRELIABLE);
            transport.send(id, 4, ByteBuffer.allocate(9).put((byte) 's').putInt(4).putInt(i).array(), Delivery.UNSEQUENCED);
        }
        int lastUnreliable = -1;
        int unreliable = 0;
        int unsequenced = 0;
        while (unreliable + unsequenced < 200) {
            RecordingListener.Received echo = events.messages.poll(1, TimeUnit.SECONDS);
            if (echo == null) {
                break;
            }
            byte[] p = echo.payload();
            if (p[0] == 'u') {
                assertThat(echo.channel()).isEqualTo(2);
                int seq = ByteBuffer.wrap(p, 5, 4).getInt();
                assertThat(seq).as("sequenced unreliable never goes backwards").isGreaterThan(lastUnreliable);
                lastUnreliable = seq;
                unreliable++;
            } else if (p[0] == 's') {
                assertThat(echo.channel()).isEqualTo(4);
                unsequenced++;
            }
        }
        assertThat(unreliable + unsequenced).as("unreliable traffic on loopback mostly arrives").isGreaterThanOrEqualTo(150);

        byte[] big = new byte[1024 * 1024];
        new Random(7).nextBytes(big);
        for (int i = 0; i < MESSAGES_PER_CHANNEL; i++) {
            for (int channel = 0; channel < 6; channel++) {
                transport.send(id, channel, ByteBuffer.allocate(8).putInt(channel).putInt(i).array(), Delivery.RELIABLE);
            }
        }
        transport.send(id, 3, big, Delivery.RELIABLE);
        int[] nextReliable = new int[6];
        boolean bigSeen = false;
        // Every reliable echo comes, after however many retransmissions a busy machine needs: the
        // wait ends at a deadline, not at the first quiet gap.
        long deadline = System.nanoTime() + RELIABLE_ECHOES.toNanos();
        while (!bigSeen || sum(nextReliable) < 6 * MESSAGES_PER_CHANNEL) {
            RecordingListener.Received echo = events.messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (echo == null) {
                break;
            }
            byte[] p = echo.payload();
            if (p.length == big.length) {
                assertThat(p).isEqualTo(big);
                assertThat(echo.channel()).isEqualTo(3);
                bigSeen = true;
            } else {
                ByteBuffer b = ByteBuffer.wrap(p);
                int channel = b.getInt();
                assertThat(echo.channel()).isEqualTo(channel);
                assertThat(b.getInt()).as("reliable order on channel " + channel).isEqualTo(nextReliable[channel]);
                nextReliable[channel]++;
            }
        }
        assertThat(bigSeen).as("1 MiB message echoed intact").isTrue();
        for (int channel = 0; channel < 6; channel++) {
            assertThat(nextReliable[channel]).as("reliable echoes on channel " + channel).isEqualTo(MESSAGES_PER_CHANNEL);
        }
    }

    private static int sum(int[] values) {
        int total = 0;
        for (int value : values) {
            total += value;
        }
        return total;
    }
}
