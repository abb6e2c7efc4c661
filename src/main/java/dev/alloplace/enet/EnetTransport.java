package dev.alloplace.enet;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.OutboundMessage;
import dev.alloplace.transport.Transport;
import dev.alloplace.transport.TransportListener;
import dev.alloplace.transport.TransportStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ENet over a Netty datagram channel (epoll when available). One event-loop thread owns the
 * {@link EnetHost} and every peer in it; application calls from other threads join one queue
 * that a single task drains in call order (a batch is one item), and a periodic tick drives
 * retransmission, pings and timeouts. A transport both listens (on the settings' address) and
 * connects out, like a C ENet host. Payloads handed to {@code send} are owned by the transport.
 */
public final class EnetTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(EnetTransport.class);
    private static final int RECEIVE_BUFFER = 8192;
    /**
     * With epoll, datagrams taken from the socket per system call ({@code recvmmsg}), each into its
     * own {@link EnetProtocol#MAXIMUM_MTU}-sized part of one pooled buffer: fifty datagrams waiting
     * together take four calls instead of fifty-one. No ENet peer sends a datagram larger than its MTU; a
     * longer one arrives cut to that size and fails to decode, as garbage does.
     */
    private static final int DATAGRAMS_PER_SYSCALL = 16;
    /**
     * Datagrams read per readiness of the socket before the batch's acknowledgements and sends are
     * flushed. Netty's fixed-size allocator reads one (its own default), which made every datagram
     * a turn of the event loop with its own flush; a burst (two hundred clients' intents, a
     * bulk spawn) is now read through in a few turns.
     */
    private static final int DATAGRAMS_PER_READ = 64;

    private final EnetSettings settings;
    private final EventLoopGroup group;
    private final long clockOrigin = System.nanoTime();
    private volatile DatagramChannel channel;
    private volatile EnetHost host;
    private SegmentedWrites writes;
    /** The next tick, when one is scheduled, and when it runs (transport clock, ms). */
    private ScheduledFuture<?> ticker;
    private long tickAt;
    /** Work handed over from other threads (sends, batches, disconnects), run on the loop in call order. */
    private final Queue<Runnable> handOffs = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    public EnetTransport(EnetSettings settings) {
        this.settings = settings;
        DefaultThreadFactory threads = new DefaultThreadFactory("alloplace-enet", true);
        this.group = Epoll.isAvailable() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }

    @Override
    public CompletableFuture<InetSocketAddress> start(TransportListener listener) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        boolean epoll = Epoll.isAvailable();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                        epoll ? EnetProtocol.MAXIMUM_MTU * DATAGRAMS_PER_SYSCALL : RECEIVE_BUFFER)
                        .maxMessagesPerRead(DATAGRAMS_PER_READ))
                .handler(new Inbound());
        if (epoll) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, EnetProtocol.MAXIMUM_MTU);
        }
        bootstrap.bind(new InetSocketAddress(settings.bindHost(), settings.port())).addListener(future -> {
            if (!future.isSuccess()) {
                bound.completeExceptionally(future.cause());
                return;
            }
            DatagramChannel opened = (DatagramChannel) ((ChannelFuture) future).channel();
            channel = opened;
            writes = new SegmentedWrites(opened, settings.udpSegmentation());
            host = new EnetHost(settings, opened.alloc(), this::write, listener, this::now);
            bound.complete((InetSocketAddress) opened.localAddress());
        });
        return bound;
    }

    @Override
    public CompletableFuture<ConnectionId> connect(InetSocketAddress remote, int channelCount, int data) {
        CompletableFuture<ConnectionId> result = new CompletableFuture<>();
        if (!onLoop(() -> {
            host.connect(remote, channelCount, data, result);
            flushChannel();
            scheduleTick();
        })) {
            result.completeExceptionally(new IllegalStateException("transport not running"));
        }
        return result;
    }

    /**
     * From another thread the message joins the hand-off queue, which one task on the event loop
     * drains (scheduled only when none is pending) and then flushes once: a burst of sends costs
     * one hand-off, not a task each.
     */
    @Override
    public void send(ConnectionId id, int channelId, byte[] payload, Delivery delivery) {
        // On the loop (a receive callback or tick) the read-complete or tick flush sends it.
        handOff(() -> host.send(id, channelId, payload, delivery));
    }

    /** A whole batch is one item of the hand-off queue: one task, in order, then one flush. */
    @Override
    public void send(List<OutboundMessage> batch) {
        if (!batch.isEmpty()) {
            handOff(() -> batch.forEach(this::queue));
        }
    }

    @Override
    public void markAdmitted(ConnectionId id) {
        handOff(() -> host.admit(id));
    }

    @Override
    public void disconnectLater(ConnectionId id, int reason) {
        handOff(() -> {
            host.disconnectLater(id, reason);
            host.flushDirty();
            flushChannel();
        });
    }

    @Override
    public void disconnectNow(ConnectionId id, int reason) {
        handOff(() -> {
            host.disconnectNow(id, reason);
            flushChannel();
        });
    }

    private void queue(OutboundMessage message) {
        host.send(message.connection(), message.channel(), message.payload(), message.delivery());
    }

    /**
     * Runs {@code work} on the loop after everything handed over before it, in the order the
     * calls were made: at once when called on the loop, else through the hand-off queue.
     */
    private void handOff(Runnable work) {
        if (inLoop()) {
            drainHandOffs();
            runSafely(work);
            return;
        }
        handOffs.add(work);
        if (drainPending.compareAndSet(false, true) && !onLoop(this::drainAndFlush)) {
            drainPending.set(false);
            handOffs.clear();
        }
    }

    private void drainAndFlush() {
        drainPending.set(false);
        drainHandOffs();
        host.flushDirty();
        flushChannel();
        scheduleTick();
    }

    private void drainHandOffs() {
        Runnable work;
        while ((work = handOffs.poll()) != null) {
            runSafely(work);
        }
    }

    private boolean inLoop() {
        DatagramChannel current = channel;
        return current != null && current.eventLoop().inEventLoop();
    }

    @Override
    public Optional<ConnectionStats> stats(ConnectionId id) {
        EnetHost current = host;
        if (current == null) {
            return Optional.empty();
        }
        if (channel != null && channel.eventLoop().inEventLoop()) {
            return current.stats(id);
        }
        return current.publishedStats(id);
    }

    @Override
    public TransportStats stats() {
        EnetHost current = host;
        return current == null ? new TransportStats(0, 0, 0, 0, 0, 0, 0) : current.publishedStats();
    }

    @Override
    public CompletableFuture<Void> shutdown(int reason, long graceMillis) {
        if (channel == null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            terminated.complete(null);
            return terminated;
        }
        long deadline = now() + graceMillis;
        boolean posted = onLoop(() -> {
            drainHandOffs();
            host.beginShutdown(reason);
            host.flushDirty();
            flushChannel();
            scheduleTick();
            awaitIdle(reason, deadline);
        });
        if (!posted) {
            terminated.complete(null);
        }
        return terminated;
    }

    private void awaitIdle(int reason, long deadline) {
        if (!host.idle() && now() < deadline) {
            channel.eventLoop().schedule(() -> awaitIdle(reason, deadline), 5, TimeUnit.MILLISECONDS);
            return;
        }
        host.dropAll(reason);
        flushChannel();
        cancelTick();
        channel.close().addListener(closed -> {
            host.close();
            group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).addListener(done -> terminated.complete(null));
        });
    }

    /**
     * Schedules the next tick for when the host says it may have work (sooner than one already
     * scheduled, or not at all): every tick period while anything is in flight, a few times a
     * second for quiet connections, never without any. An idle host costs no wake-ups.
     */
    private void scheduleTick() {
        long in = host.nextTickIn(now());
        if (in < 0) {
            cancelTick();
            return;
        }
        long at = now() + in;
        if (ticker != null && tickAt <= at) {
            return;
        }
        cancelTick();
        if (channel.isOpen()) {
            tickAt = at;
            ticker = channel.eventLoop().schedule(this::tick, in, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTick() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void tick() {
        ticker = null;
        try {
            host.tick();
            flushChannel();
        } catch (RuntimeException e) {
            log.error("ENet tick failed", e);
        }
        scheduleTick();
    }

    private void write(InetSocketAddress to, ByteBuf datagram) {
        writes.write(to, datagram);
    }

    /** Sends what was written: the run of segments being built first. */
    private void flushChannel() {
        writes.drain();
        channel.flush();
    }

    private long now() {
        return (System.nanoTime() - clockOrigin) / 1_000_000L + 1;
    }

    private boolean onLoop(Runnable task) {
        DatagramChannel current = channel;
        if (current == null || !current.isOpen()) {
            return false;
        }
        if (current.eventLoop().inEventLoop()) {
            runSafely(task);
        } else {
            try {
                current.eventLoop().execute(() -> runSafely(task));
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
        return true;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("ENet task failed", e);
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            host.receive(packet.sender(), packet.content());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            host.flushDirty();
            flushChannel();
            if (ticker == null) {
                host.publishCounters();
            }
            scheduleTick();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("UDP socket error: {}", cause.toString());
        }
    }

    /** Newcomers holding slots; only on the loop (tests use {@link #call}). */
    int newcomers() {
        return host.newcomers();
    }

    /** Exposed for tests that need to wait on a value computed on the loop. */
    <T> CompletableFuture<T> call(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!onLoop(() -> result.complete(action.get()))) {
            result.completeExceptionally(new IllegalStateException("transport not running"));
        }
        return result;
    }
}
