package dev.alloplace.enet;

import dev.alloplace.testing.RecordingListener;
import dev.alloplace.transport.ConnectionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A server host and a client host wired to each other in memory, on a clock the test steps:
 * every datagram one builds is handed to the other by {@link #pump}. No sockets, no threads;
 * the test thread is the hosts' thread.
 */
final class HostPair {

    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 21337);
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40001);

    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    long now = 1000;
    final RecordingListener serverEvents = new RecordingListener();
    final RecordingListener clientEvents = new RecordingListener();
    final EnetHost server;
    final EnetHost client;
    /** Datagrams the server sent to anyone but the client host (raw peers of a test). */
    final ArrayDeque<byte[]> toOthers = new ArrayDeque<>();
    private final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();

    HostPair(EnetSettings serverSettings, EnetSettings clientSettings) {
        server = new EnetHost(serverSettings, UnpooledByteBufAllocator.DEFAULT, (to, datagram) -> route(SERVER, to, datagram),
                serverEvents, () -> now);
        client = new EnetHost(clientSettings, UnpooledByteBufAllocator.DEFAULT, (to, datagram) -> route(CLIENT, to, datagram),
                clientEvents, () -> now);
    }

    private void route(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        datagram.release();
        if (from.equals(SERVER) && !to.equals(CLIENT)) {
            toOthers.add(bytes);
        } else {
            inFlight.add(new Datagram(from, to, bytes));
        }
    }

    /** Delivers datagrams (and whatever they provoke) until none is left. */
    void pump() {
        server.flushDirty();
        client.flushDirty();
        Datagram next;
        while ((next = inFlight.poll()) != null) {
            EnetHost to = next.to().equals(SERVER) ? server : client;
            to.receive(next.from(), Unpooled.wrappedBuffer(next.bytes()));
            to.flushDirty();
        }
    }

    /** Moves the clock, ticks both hosts and pumps. */
    void advance(long millis) {
        now += millis;
        server.tick();
        client.tick();
        pump();
    }

    /** Opens a connection from the client host; returns the server's id for it. */
    ConnectionId connect(int channels) {
        CompletableFuture<ConnectionId> connected = new CompletableFuture<>();
        client.connect(SERVER, channels, 0, connected);
        pump();
        if (!connected.isDone()) {
            throw new AssertionError("the handshake did not complete in memory");
        }
        RecordingListener.Connected accepted = serverEvents.connects.poll();
        if (accepted == null) {
            throw new AssertionError("the server saw no connect");
        }
        return accepted.id();
    }

    /** A datagram from some other address, as a raw peer would send it. */
    void receiveRaw(InetSocketAddress from, byte[] datagram) {
        server.receive(from, Unpooled.wrappedBuffer(datagram));
        pump();
    }
}
