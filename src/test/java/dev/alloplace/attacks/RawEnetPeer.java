package dev.alloplace.attacks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.alloplace.testing.Waits;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An attacker's ENet, written by hand from ENET.md: one UDP socket on a loopback address of the
 * test's choosing (127.0.0.2, 127.0.0.3, ...: distinct attacker addresses, all on loopback) that
 * opens as many connections as it likes (one per connect id), completes their handshakes or
 * leaves them half-open, and sends whatever commands a test wants on them.
 */
final class RawEnetPeer implements AutoCloseable {

    /** A connection this peer completed: where the server put it. */
    record Connection(int connectId, int serverIndex, int session) {
    }

    private static final int CMD_VERIFY_CONNECT = 3;
    private static final int CMD_DISCONNECT = 4;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Map<Integer, Connection> connections = new HashMap<>();
    /** Written by the thread that reads the socket, read by the test. */
    private volatile int refusals;
    private volatile int lastRefusal = -1;
    private int clock = 100;

    /** A socket on {@code 127.0.0.<host>}; skips the test where that loopback alias cannot be bound. */
    RawEnetPeer(int host, InetSocketAddress server) throws IOException {
        InetAddress local = InetAddress.getByName("127.0.0." + host);
        DatagramSocket bound;
        try {
            bound = new DatagramSocket(new InetSocketAddress(local, 0));
        } catch (IOException e) {
            assumeTrue(false, "cannot bind loopback alias " + local + ": " + e.getMessage());
            throw e;
        }
        this.socket = bound;
        this.socket.setReceiveBufferSize(1 << 20);
        this.server = server;
    }

    /** Sends a CONNECT for {@code connectId} and does not wait (a half-open handshake if accepted). */
    void connect(int connectId) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(52);
        b.putShort((short) 0x8FFF).putShort((short) ++clock);
        b.put((byte) 0x82).put((byte) 0xff).putShort((short) 1);
        b.putShort((short) (connectId & 0x7FF)).put((byte) 0xff).put((byte) 0xff);
        b.putInt(1400).putInt(65536).putInt(6).putInt(0).putInt(0).putInt(5000).putInt(2).putInt(2);
        b.putInt(connectId).putInt(0);
        send(b.array());
    }

    /**
     * Reads what the server sent for up to {@code millis}: acknowledges every VERIFY_CONNECT (so
     * those connections complete) and counts refusals. Returns the connections completed so far.
     */
    Map<Integer, Connection> answer(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] buffer = new byte[8192];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return connections;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return connections;
            }
            read(ByteBuffer.wrap(Arrays.copyOf(buffer, packet.getLength())));
        }
    }

    private void read(ByteBuffer datagram) throws IOException {
        int at = (datagram.getShort(0) & 0x8000) != 0 ? 4 : 2;
        if (datagram.limit() < at + 4) {
            return;
        }
        int command = datagram.get(at) & 0x0F;
        if (command == CMD_VERIFY_CONNECT && datagram.limit() >= at + 44) {
            int sentTime = datagram.getShort(2) & 0xFFFF;
            int connectId = datagram.getInt(at + 40);
            Connection connection = new Connection(connectId, datagram.getShort(at + 4) & 0xFFFF, datagram.get(at + 7) & 0xFF);
            connections.put(connectId, connection);
            ByteBuffer ack = header(connection, 8);
            ack.put((byte) 0x01).put((byte) 0xff).putShort((short) 1).putShort((short) 1).putShort((short) sentTime);
            send(ack.array());
        } else if (command == CMD_DISCONNECT && datagram.limit() >= at + 8) {
            refusals++;
            lastRefusal = datagram.getInt(at + 4);
        }
    }

    /** Opens {@code count} connections (connect ids {@code firstId...}) and completes every one the server takes. */
    Map<Integer, Connection> handshakes(int firstId, int count, long millis) throws IOException {
        for (int i = 0; i < count; i++) {
            connect(firstId + i);
        }
        return answer(millis);
    }

    /**
     * Opens {@code count} connections (connect ids {@code firstId...}) and answers the server until
     * it has verified every one, for up to {@link Waits#PATIENCE}; returns those it verified.
     */
    Map<Integer, Connection> completed(int firstId, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            connect(firstId + i);
        }
        long deadline = System.nanoTime() + Waits.PATIENCE.toNanos();
        Map<Integer, Connection> verified = new HashMap<>();
        while (verified.size() < count && System.nanoTime() - deadline < 0) {
            answer(20);
            for (int id = firstId; id < firstId + count; id++) {
                Connection connection = connections.get(id);
                if (connection != null) {
                    verified.put(id, connection);
                }
            }
        }
        return verified;
    }

    /** A SEND_FRAGMENT on {@code connection}'s channel 0 (reliable, acknowledged). */
    void fragment(Connection connection, int seq, int startSeq, int count, int number, int total, int offset,
            byte[] payload) throws IOException {
        ByteBuffer b = header(connection, 24 + payload.length);
        b.put((byte) 0x88).put((byte) 0).putShort((short) seq);
        b.putShort((short) startSeq).putShort((short) payload.length);
        b.putInt(count).putInt(number).putInt(total).putInt(offset).put(payload);
        send(b.array());
    }

    int refusals() {
        return refusals;
    }

    /** The data of the last DISCONNECT the server sent this socket, -1 if none. */
    int lastRefusal() {
        return lastRefusal;
    }

    private ByteBuffer header(Connection connection, int commandBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + commandBytes);
        b.putShort((short) (connection.serverIndex() | connection.session() << 12 | 0x8000)).putShort((short) ++clock);
        return b;
    }

    private void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    @Override
    public void close() {
        socket.close();
    }
}
