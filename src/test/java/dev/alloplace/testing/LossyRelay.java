package dev.alloplace.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that loses, duplicates, delays and so reorders datagrams in both
 * directions between one client and one server, reproducibly for a given seed.
 */
public final class LossyRelay implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private volatile double loss;
    private final double duplication;
    private final int maxJitterMillis;
    private final Random random;
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lossy-relay-delay");
        t.setDaemon(true);
        return t;
    });
    private final Thread pump;
    private volatile InetSocketAddress client;
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong duplicated = new AtomicLong();

    public LossyRelay(InetSocketAddress server, double loss, double duplication, int maxJitterMillis, long seed)
            throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.server = server;
        this.loss = loss;
        this.duplication = duplication;
        this.maxJitterMillis = maxJitterMillis;
        this.random = new Random(seed);
        this.pump = new Thread(this::run, "lossy-relay");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** From now on loses this fraction of datagrams (e.g. once a handshake is through). */
    public void setLoss(double fraction) {
        loss = fraction;
    }

    /** Where clients connect instead of the server. */
    public int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            InetSocketAddress to;
            if (from.equals(server)) {
                to = client;
            } else {
                client = from;
                to = server;
            }
            if (to == null) {
                continue;
            }
            byte[] copy = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            double roll;
            int copies;
            long delay;
            synchronized (random) {
                roll = random.nextDouble();
                copies = random.nextDouble() < duplication ? 2 : 1;
                delay = maxJitterMillis == 0 ? 0 : random.nextInt(maxJitterMillis + 1);
            }
            if (roll < loss) {
                dropped.incrementAndGet();
                continue;
            }
            if (copies == 2) {
                duplicated.incrementAndGet();
            }
            for (int i = 0; i < copies; i++) {
                try {
                    delayer.schedule(() -> forward(copy, to), delay + i, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    return; // close() stopped the delayer while this datagram was in hand
                }
            }
        }
    }

    private void forward(byte[] datagram, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            // closed while a delayed datagram was pending
        }
    }

    @Override
    public void close() {
        socket.close();
        delayer.shutdownNow();
    }
}
