package dev.alloplace.testing;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportListener;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects transport events into queues so tests can wait for them in order. */
public final class RecordingListener implements TransportListener {

    public record Connected(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
    }

    public record Received(ConnectionId id, int channel, byte[] payload) {
    }

    public record Disconnected(ConnectionId id, DisconnectCause cause, int data) {
    }

    public final BlockingQueue<Connected> connects = new LinkedBlockingQueue<>();
    public final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    public final BlockingQueue<Disconnected> disconnects = new LinkedBlockingQueue<>();

    @Override
    public void onConnect(ConnectionId id, InetSocketAddress remote, int channelCount, int data) {
        connects.add(new Connected(id, remote, channelCount, data));
    }

    @Override
    public void onReceive(ConnectionId id, int channel, byte[] payload) {
        messages.add(new Received(id, channel, payload));
    }

    @Override
    public void onDisconnect(ConnectionId id, DisconnectCause cause, int data) {
        disconnects.add(new Disconnected(id, cause, data));
    }

    public Connected awaitConnect(long millis) throws InterruptedException {
        return require(connects.poll(millis, TimeUnit.MILLISECONDS), "connect");
    }

    public Received awaitMessage(long millis) throws InterruptedException {
        return require(messages.poll(millis, TimeUnit.MILLISECONDS), "message");
    }

    public Disconnected awaitDisconnect(long millis) throws InterruptedException {
        return require(disconnects.poll(millis, TimeUnit.MILLISECONDS), "disconnect");
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new AssertionError("no " + what + " event in time");
        }
        return value;
    }
}
