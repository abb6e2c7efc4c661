package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.RecordingListener;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.OutboundMessage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages handed over from another thread, one at a time (through the transport's queue) or as
 * batches (one task each), reach the peer in the order they were handed over, and a disconnect
 * asked for afterwards comes after all of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnetHandOffTest {

    @Test
    void singleSendsAndBatchesFromAnotherThreadArriveInOrderBeforeTheDisconnect() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        try (EnetTransport server = new EnetTransport(EnetSettings.builder().bind("127.0.0.1", 0).build());
                EnetTransport client = new EnetTransport(EnetSettings.loopbackClient())) {
            InetSocketAddress address = server.start(serverEvents).join();
            client.start(clientEvents).join();
            Waits.await("the client connects", client.connect(address, 2, 0));
            ConnectionId id = serverEvents.awaitConnect(5_000).id();

            int sent = 0;
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 5; i++) {
                    server.send(id, 1, numbered(sent++), Delivery.RELIABLE);
                }
                List<OutboundMessage> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(new OutboundMessage(id, 1, numbered(sent++), Delivery.RELIABLE));
                }
                server.send(batch);
            }
            server.disconnectLater(id, 77);

            for (int expected = 0; expected < sent; expected++) {
                RecordingListener.Received received = clientEvents.awaitMessage(10_000);
                assertThat(ByteBuffer.wrap(received.payload()).getInt()).as("message in hand-off order").isEqualTo(expected);
            }
            RecordingListener.Disconnected gone = clientEvents.awaitDisconnect(10_000);
            assertThat(gone.cause()).isEqualTo(DisconnectCause.REMOTE);
            assertThat(gone.data()).isEqualTo(77);
            assertThat(clientEvents.messages).as("nothing after the disconnect").isEmpty();
        }
    }

    private static byte[] numbered(int n) {
        return ByteBuffer.allocate(64).putInt(n).array();
    }
}
