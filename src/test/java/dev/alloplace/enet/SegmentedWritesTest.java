package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs of datagrams written as one offload write arrive as the same datagrams, in order. */
class SegmentedWritesTest {

    private EventLoopGroup group;
    private DatagramChannel channel;
    private final List<DatagramSocket> receivers = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        assumeTrue(Epoll.isAvailable(), "UDP segmentation offload is written through epoll only");
        group = new EpollEventLoopGroup(1);
        channel = (DatagramChannel) new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void close() throws Exception {
        receivers.forEach(DatagramSocket::close);
        if (channel != null) {
            channel.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    private DatagramSocket receiver() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5_000);
        socket.setReceiveBufferSize(1 << 20);
        receivers.add(socket);
        return socket;
    }

    private static byte[] datagram(int size, int mark) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (mark * 31 + i);
        }
        return bytes;
    }

    private static List<byte[]> receive(DatagramSocket socket, int count) throws Exception {
        List<byte[]> got = new ArrayList<>();
        byte[] buffer = new byte[70_000];
        for (int i = 0; i < count; i++) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            got.add(Arrays.copyOf(packet.getData(), packet.getLength()));
        }
        return got;
    }

    /** Writes the datagrams on the loop, in order, then drains and flushes once. */
    private void send(SegmentedWrites writes, List<InetSocketAddress> to, List<byte[]> datagrams) throws Exception {
        channel.eventLoop().submit(() -> {
            for (int i = 0; i < datagrams.size(); i++) {
                ByteBuf buffer = channel.alloc().directBuffer(datagrams.get(i).length);
                buffer.writeBytes(datagrams.get(i));
                writes.write(to.get(i), buffer);
            }
            writes.drain();
            channel.flush();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void theFragmentsOfOneMessageArriveAsTheDatagramsTheyWereWrittenAs() throws Exception {
        SegmentedWrites writes = new SegmentedWrites(channel, true);
        assumeTrue(writes.enabled(), "this kernel has no UDP segmentation offload");
        DatagramSocket peer = receiver();
        InetSocketAddress at = (InetSocketAddress) peer.getLocalSocketAddress();
        List<byte[]> sent = new ArrayList<>();
        // 100 full fragments are more than one offload write may hold (64, and under 64 KiB), then a short last one.
        for (int i = 0; i < 100; i++) {
            sent.add(datagram(1_200, i));
        }
        sent.add(datagram(333, 100));

        send(writes, Collections.nCopies(sent.size(), at), sent);

        List<byte[]> got = receive(peer, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i)).as("datagram %d", i).isEqualTo(sent.get(i));
        }
        assertThat(writes.enabled()).isTrue();
    }

    @Test
    void aRunEndsAtAnotherPeerALongerDatagramOrAShortOneAndEachArrivesWhole() throws Exception {
        SegmentedWrites writes = new SegmentedWrites(channel, true);
        DatagramSocket first = receiver();
        DatagramSocket second = receiver();
        InetSocketAddress a = (InetSocketAddress) first.getLocalSocketAddress();
        InetSocketAddress b = (InetSocketAddress) second.getLocalSocketAddress();
        List<byte[]> sent = List.of(datagram(500, 0), datagram(500, 1), datagram(80, 2), datagram(500, 3),
                datagram(900, 4), datagram(900, 5), datagram(700, 6), datagram(700, 7), datagram(900, 8));
        List<InetSocketAddress> to = List.of(a, a, a, a, a, b, b, a, a);

        send(writes, to, sent);

        List<byte[]> atA = receive(first, 7);
        List<byte[]> atB = receive(second, 2);
        assertThat(atA).containsExactly(sent.get(0), sent.get(1), sent.get(2), sent.get(3), sent.get(4), sent.get(7),
                sent.get(8));
        assertThat(atB).containsExactly(sent.get(5), sent.get(6));
    }

    @Test
    void switchedOffItWritesEveryDatagramOnItsOwn() throws Exception {
        SegmentedWrites writes = new SegmentedWrites(channel, false);
        DatagramSocket peer = receiver();
        InetSocketAddress at = (InetSocketAddress) peer.getLocalSocketAddress();
        List<byte[]> sent = List.of(datagram(1_000, 0), datagram(1_000, 1), datagram(10, 2));

        send(writes, List.of(at, at, at), sent);

        assertThat(writes.enabled()).isFalse();
        assertThat(receive(peer, 3)).containsExactlyElementsOf(sent);
    }
}
