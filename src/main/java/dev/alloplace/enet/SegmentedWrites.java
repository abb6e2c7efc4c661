package dev.alloplace.enet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a flush's datagrams to the channel, joining runs of same-sized datagrams to one peer
 * (the fragments of a state diff) into one UDP generic segmentation offload write: the kernel
 * cuts the run into the same datagrams on the wire, and walks its send path once per run instead
 * of once per datagram, which was most of the ENet thread's time. Only the last datagram of a run
 * may be shorter. Where the kernel or the device refuses it (a write fails), the offload is
 * switched off for good and datagrams go one by one, as they do without epoll. Owned by the ENet
 * event loop.
 */
final class SegmentedWrites {

    private static final Logger log = LoggerFactory.getLogger(SegmentedWrites.class);
    /** The kernel's UDP_MAX_SEGMENTS on the kernels that have it lowest. */
    static final int MAX_SEGMENTS = 64;
    /** A run stays one IP datagram before it is cut: 65,535 less the IPv6 and UDP headers. */
    static final int MAX_RUN_BYTES = 65_535 - 48;

    private final DatagramChannel channel;
    private boolean enabled;
    private InetSocketAddress runTo;
    /** The run's first datagram, written as it is unless a second joins it (most runs are one ack or one message). */
    private ByteBuf first;
    /** The run once a second datagram joined the first. */
    private CompositeByteBuf run;
    private int runBytes;
    private int segmentSize;
    private int segments;
    /** The run ended with a shorter datagram: nothing more joins it. */
    private boolean closed;

    SegmentedWrites(DatagramChannel channel, boolean wanted) {
        this.channel = channel;
        this.enabled = wanted && channel instanceof EpollDatagramChannel && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    boolean enabled() {
        return enabled;
    }

    /** Queues one datagram (its ownership passes here) for the next {@link #drain}. */
    void write(InetSocketAddress to, ByteBuf datagram) {
        if (!enabled) {
            channel.write(new DatagramPacket(datagram, to), channel.voidPromise());
            return;
        }
        int size = datagram.readableBytes();
        if (first != null && !closed && to.equals(runTo) && size <= segmentSize && segments < MAX_SEGMENTS
                && runBytes + size <= MAX_RUN_BYTES) {
            if (run == null) {
                run = channel.alloc().compositeDirectBuffer(MAX_SEGMENTS);
                run.addComponent(true, first);
            }
            run.addComponent(true, datagram);
            runBytes += size;
            segments++;
            closed = size < segmentSize;
            return;
        }
        drain();
        runTo = to;
        first = datagram;
        runBytes = size;
        segmentSize = size;
        segments = 1;
        closed = false;
    }

    /** Hands the run being built to the channel (call before every flush). */
    void drain() {
        if (first == null) {
            return;
        }
        ByteBuf alone = first;
        CompositeByteBuf joined = run;
        first = null;
        run = null;
        if (joined == null) {
            channel.write(new DatagramPacket(alone, runTo), channel.voidPromise());
            return;
        }
        channel.write(new SegmentedDatagramPacket(joined, segmentSize, runTo)).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess() && enabled) {
                enabled = false;
                log.warn("UDP segmentation offload refused ({}); sending datagrams one by one from now on", future.cause().toString());
            }
        });
    }
}
