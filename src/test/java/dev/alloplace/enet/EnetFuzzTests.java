package dev.alloplace.enet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * Fuzzes the ENet protocol engine with sequences of datagrams from one address (so a CONNECT in
 * the input opens a peer the following datagrams can reach). The engine must never throw, never
 * answer with more than it was sent, and with every peer gone hold no waiting bytes nor newcomers.
 */
class EnetFuzzTests {

    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

    @FuzzTest(maxDuration = "2h")
    void datagramSequences(FuzzedDataProvider data) {
        long[] clock = {1000};
        long[] sent = {0};
        TransportListener quiet = new TransportListener() {
            @Override
            public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int payload) {
            }

            @Override
            public void onReceive(ConnectionId id, int channel, byte[] payload) {
            }

            @Override
            public void onDisconnect(ConnectionId id, DisconnectCause cause, int payload) {
            }
        };
        EnetSettings settings = EnetSettings.builder().maxPeers(4).checksum(data.consumeBoolean())
                .maxPacketSize(64 * 1024).maxWaitingBytes(256 * 1024).maxWaitingBytesTotal(384 * 1024)
                .maxOutOfOrderReliable(64).maxQueuedBytes(256 * 1024).build();
        EnetHost host = new EnetHost(settings, UnpooledByteBufAllocator.DEFAULT, (to, datagram) -> {
            sent[0] += datagram.readableBytes();
            datagram.release();
        }, quiet, () -> clock[0]);
        long received = 0;
        int datagrams = data.consumeInt(1, 12);
        for (int i = 0; i < datagrams && data.remainingBytes() > 0; i++) {
            byte[] bytes = data.consumeBytes(data.consumeInt(0, 1500));
            received += bytes.length;
            ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
            host.receive(FROM, datagram);
            host.flushDirty();
            clock[0] += data.consumeInt(0, 3000);
            host.tick();
        }
        if (sent[0] > 48L * datagrams + received * 2 + 4096) {
            throw new IllegalStateException("the host answered " + sent[0] + " bytes to " + received);
        }
        host.dropAll(0);
        host.close();
        if (host.waitingBytes() != 0 || host.newcomers() != 0) {
            throw new IllegalStateException("with every peer gone the host still counts " + host.waitingBytes()
                    + " waiting bytes and " + host.newcomers() + " newcomers");
        }
    }

    /** The same target for a few seconds of live fuzzing in the normal build (pom.xml, fuzz-* executions). */
    @FuzzTest(maxDuration = "9s")
    void briefly(FuzzedDataProvider data) {
        datagramSequences(data);
    }
}
