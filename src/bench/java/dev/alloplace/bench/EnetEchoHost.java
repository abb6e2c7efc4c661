package dev.alloplace.bench;

import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportListener;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Our ENet host as an echo server on 127.0.0.1:&lt;port&gt;, for `scripts/bench enet`: every
 * message goes back reliably on its channel. Runs until killed.
 */
public final class EnetEchoHost {

    private EnetEchoHost() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        EnetTransport transport = new EnetTransport(EnetSettings.builder().bind("127.0.0.1", port).build());
        transport.start(new TransportListener() {
            @Override
            public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
            }

            @Override
            public void onReceive(ConnectionId id, int channel, byte[] payload) {
                transport.send(id, channel, payload, Delivery.RELIABLE);
            }

            @Override
            public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
            }
        }).join();
        System.out.println("listening");
        if (args.length > 1 && "--stats".equals(args[1])) {
            while (true) {
                Thread.sleep(1000);
                System.out.println(transport.stats());
            }
        }
        new CountDownLatch(1).await();
    }
}
