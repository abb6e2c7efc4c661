package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.RecordingListener;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server takes many datagrams from its socket per system call, each into a slot the size of
 * ENet's largest MTU. Peers that negotiated that MTU send datagrams that fill a slot exactly
 * (large messages are cut into fragments of that size): a burst of them from several peers at
 * once, waiting in the socket together, must arrive whole and in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnetBatchedReadTest {

    private static final int PEERS = 3;
    private static final int MESSAGES = 40;
    private static final int LARGE = 3 * EnetProtocol.MAXIMUM_MTU + 123;

    @Test
    void aBurstOfFullSizeDatagramsFromSeveralPeersArrivesWhole() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        EnetSettings largest = EnetSettings.loopbackClient().toBuilder().mtu(EnetProtocol.MAXIMUM_MTU).build();
        try (EnetTransport server = new EnetTransport(EnetSettings.builder().bind("127.0.0.1", 0)
                        .mtu(EnetProtocol.MAXIMUM_MTU).build());
                EnetTransport a = new EnetTransport(largest);
                EnetTransport b = new EnetTransport(largest);
                EnetTransport c = new EnetTransport(largest)) {
            InetSocketAddress address = server.start(serverEvents).join();
            List<EnetTransport> clients = List.of(a, b, c);
            Map<EnetTransport, ConnectionId> toServer = new HashMap<>();
            for (EnetTransport client : clients) {
                client.start(new RecordingListener()).join();
                toServer.put(client, Waits.await("a client connects", client.connect(address, 2, 0)));
            }
            Map<Integer, ConnectionId> peerOf = new HashMap<>();
            for (int i = 0; i < PEERS; i++) {
                peerOf.put(i, serverEvents.awaitConnect(5_000).id());
            }

            for (int n = 0; n < MESSAGES; n++) {
                for (int p = 0; p < PEERS; p++) {
                    EnetTransport client = clients.get(p);
                    client.send(toServer.get(client), 1, message(p, n), Delivery.RELIABLE);
                }
            }

            Map<ConnectionId, Integer> next = new HashMap<>();
            Map<ConnectionId, Integer> sender = new HashMap<>();
            for (int i = 0; i < PEERS * MESSAGES; i++) {
                RecordingListener.Received received = serverEvents.awaitMessage(10_000);
                ByteBuffer body = ByteBuffer.wrap(received.payload());
                int peer = body.getInt();
                int n = body.getInt();
                assertThat(sender.computeIfAbsent(received.id(), id -> peer)).as("one sender per connection").isEqualTo(peer);
                assertThat(n).as("peer %d's messages in order", peer).isEqualTo(next.getOrDefault(received.id(), 0));
                next.put(received.id(), n + 1);
                assertThat(received.payload()).as("peer %d's message %d whole", peer, n).isEqualTo(message(peer, n));
            }
            assertThat(next.keySet()).containsExactlyInAnyOrderElementsOf(peerOf.values());
        }
    }

    /** Every other message spans several full-size fragments; the rest fill one datagram. */
    private static byte[] message(int peer, int n) {
        int length = n % 2 == 0 ? LARGE : EnetProtocol.MAXIMUM_MTU - 64;
        ByteBuffer body = ByteBuffer.allocate(length).putInt(peer).putInt(n);
        for (int i = body.position(); i < length; i++) {
            body.put((byte) (i * 31 + n + peer));
        }
        return body.array();
    }
}
