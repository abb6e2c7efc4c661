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
    private final ArrayDeque<Datagram> toOthers = new ArrayDeque<>();
    private final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();

    /**
     * The hosts keep the buffers they build datagrams in for reuse until they are closed, and a
     * pair is never closed: without leak tracking, a pair dropped by its test is not reported.
     */
    private static final UnpooledByteBufAllocator BUFFERS = new UnpooledByteBufAllocator(false, true);

    HostPair(EnetSettings serverSettings, EnetSettings clientSettings) {
        server = new EnetHost(serverSettings, BUFFERS, (to, datagram) -> route(SERVER, to, datagram),
                serverEvents, () -> now);
        client = new EnetHost(clientSettings, BUFFERS, (to, datagram) -> route(CLIENT, to, datagram),
                clientEvents, () -> now);
    }

    private void route(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        datagram.release();
        if (from.equals(SERVER) && !to.equals(CLIENT)) {
            toOthers.add(new Datagram(from, to, bytes));
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

    /** Takes the datagrams the server sent to {@code address} so far. */
    java.util.List<byte[]> sentTo(InetSocketAddress address) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (java.util.Iterator<Datagram> it = toOthers.iterator(); it.hasNext(); ) {
            Datagram d = it.next();
            if (d.to().equals(address)) {
                out.add(d.bytes());
                it.remove();
            }
        }
        return out;
    }

    /** A hand-written peer at {@code address} that says whatever a test wants. */
    RawPeer raw(InetSocketAddress address) {
        return new RawPeer(address);
    }

    /** Builds ENet datagrams by hand (big-endian, ENET.md 2) and feeds them to the server. */
    final class RawPeer {
        final InetSocketAddress address;
        int serverIndex;
        int session;
        private int clock = 100;
        private int reliableSeq;
        private final java.util.List<byte[]> inbox = new java.util.ArrayList<>();

        RawPeer(InetSocketAddress address) {
            this.address = address;
        }

        /** Sends a CONNECT; returns whatever the server answered (VERIFY_CONNECT or a refusal). */
        java.util.List<byte[]> connect(int connectId) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(52);
            b.putShort((short) 0x8FFF).putShort((short) ++clock);
            b.put((byte) 0x82).put((byte) 0xff).putShort((short) 1);
            b.putShort((short) 7).put((byte) 0xff).put((byte) 0xff);
            b.putInt(1400).putInt(65536).putInt(2).putInt(0).putInt(0).putInt(5000).putInt(2).putInt(2);
            b.putInt(connectId).putInt(0);
            receiveRaw(address, b.array());
            java.util.List<byte[]> answers = sentTo(address);
            inbox.addAll(answers);
            return answers;
        }

        /** CONNECT, then acknowledge the VERIFY_CONNECT: the server raises a connect event. */
        void handshake(int connectId) {
            java.util.List<byte[]> answers = connect(connectId);
            if (answers.isEmpty() || (answers.get(0)[4] & 0x0F) != EnetProtocol.CMD_VERIFY_CONNECT) {
                throw new AssertionError("no VERIFY_CONNECT for " + address);
            }
            java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(answers.get(0));
            int verifySentTime = v.getShort(2) & 0xFFFF;
            serverIndex = v.getShort(8) & 0xFFFF;
            session = v.get(11) & 0xFF;
            send(java.nio.ByteBuffer.allocate(8).put((byte) 0x01).put((byte) 0xff).putShort((short) 1)
                    .putShort((short) 1).putShort((short) verifySentTime).array());
        }

        /** One datagram of {@code commands} with the sent-time flag (so reliable ones are acknowledged). */
        void send(byte[]... commands) {
            int size = 4;
            for (byte[] command : commands) {
                size += command.length;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size);
            b.putShort((short) (serverIndex | session << 12 | 0x8000)).putShort((short) ++clock);
            for (byte[] command : commands) {
                b.put(command);
            }
            receiveRaw(address, b.array());
        }

        /** A SEND_FRAGMENT (reliable) or SEND_UNRELIABLE_FRAGMENT carrying {@code payload}. */
        byte[] fragment(boolean reliable, int channel, int seq, int startSeq, int count, int number, int total,
                int offset, byte[] payload) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + payload.length);
            b.put((byte) (reliable ? 0x88 : 0x0C)).put((byte) channel).putShort((short) seq);
            b.putShort((short) startSeq).putShort((short) payload.length);
            b.putInt(count).putInt(number).putInt(total).putInt(offset).put(payload);
            return b.array();
        }

        /** The next reliable sequence number of this peer's channel 0 traffic (tests use one channel). */
        int nextReliableSeq() {
            return ++reliableSeq;
        }

        /** The data of a DISCONNECT the server sent this peer, or -1 if it sent none. */
        int refusal() {
            inbox.addAll(sentTo(address));
            java.util.List<byte[]> seen = new java.util.ArrayList<>(inbox);
            inbox.clear();
            for (byte[] datagram : seen) {
                java.nio.ByteBuffer d = java.nio.ByteBuffer.wrap(datagram);
                int at = (d.getShort(0) & 0x8000) != 0 ? 4 : 2;
                while (at + 4 <= datagram.length) {
                    int number = datagram[at] & 0x0F;
                    if (number == EnetProtocol.CMD_DISCONNECT) {
                        return d.getInt(at + 4);
                    }
                    int size = EnetProtocol.commandSize(number);
                    if (size == 0) {
                        break;
                    }
                    at += size + (number == EnetProtocol.CMD_SEND_RELIABLE ? d.getShort(at + 4) & 0xFFFF : 0);
                }
            }
            return -1;
        }
    }
}
