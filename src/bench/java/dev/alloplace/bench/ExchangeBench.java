package dev.alloplace.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.assets.AssetId;
import dev.alloplace.assets.AssetMessage;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.server.PlaceServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * `scripts/bench media` and `scripts/bench assets`: a whole server on loopback with Java clients
 * over real ENet. Media: 20 speakers send a 100-byte Opus-sized packet every 20 ms, 50 listeners
 * subscribe to every track; reports forwarded packets per second. Assets: one publisher, one
 * downloader, a 50 MiB asset in 1 MiB chunks; reports MB/s.
 */
public final class ExchangeBench {

    private ExchangeBench() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "media";
        var config = ConfigLoader.load(Map.of("server.bind", "127.0.0.1", "server.port", "0", "admin.port", "-1",
                "data_dir", Files.createTempDirectory("alloplace-bench").toString(), "server.max_peers", "256"), Map.of(), null);
        PlaceServer server = PlaceServer.start(config);
        AlloClientHost clients = AlloClientHost.start(
                new EnetTransport(EnetSettings.loopbackClient().toBuilder().maxPeers(256).build()));
        try {
            if ("assets".equals(scenario)) {
                assets(server, clients);
            } else {
                media(server, clients, 20, 50, 10);
            }
        } finally {
            clients.close();
            server.stop(Duration.ofMillis(200));
        }
        System.exit(0);
    }

    private static AlloClient join(PlaceServer server, AlloClientHost clients, String name) throws Exception {
        AlloClient client = clients.connect(server.udpAddress(), ClientOptions.defaults(name)).get(10, TimeUnit.SECONDS);
        client.announce().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static void media(PlaceServer server, AlloClientHost clients, int speakers, int listeners, int seconds)
            throws Exception {
        List<AlloClient> talking = new ArrayList<>();
        List<Long> tracks = new ArrayList<>();
        for (int i = 0; i < speakers; i++) {
            AlloClient speaker = join(server, clients, "speaker" + i);
            tracks.add(speaker.request("place", Interaction.body("allocate_track", "audio", "opus",
                    JsonNodeFactory.instance.objectNode().put("sample_rate", 48000))).get(10, TimeUnit.SECONDS).get(2).asLong());
            talking.add(speaker);
        }
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < listeners; i++) {
            AlloClient listener = join(server, clients, "listener" + i);
            listener.onMedia((role, bytes) -> received.incrementAndGet());
            for (long track : tracks) {
                listener.request("place", Interaction.body("media_track", track, "subscribe")).get(10, TimeUnit.SECONDS);
            }
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sent = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < talking.size(); i++) {
                byte[] packet = ByteBuffer.allocate(100).putInt(tracks.get(i).intValue()).array();
                talking.get(i).sendMedia(ChannelRole.AUDIO, packet);
                sent.incrementAndGet();
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        Thread.sleep(2000);
        long start = System.nanoTime();
        long receivedAtStart = received.get();
        long sentAtStart = sent.get();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long forwarded = received.get() - receivedAtStart;
        long offered = (sent.get() - sentAtStart) * listeners;
        timer.shutdownNow();
        System.out.printf("media speakers=%d listeners=%d forwarded_packets_per_s=%.0f offered_per_s=%.0f delivered=%.1f%%%n",
                speakers, listeners, forwarded / elapsed, offered / elapsed, 100.0 * forwarded / Math.max(1, offered));
    }

    private static void assets(PlaceServer server, AlloClientHost clients) throws Exception {
        byte[] content = new byte[50 * 1024 * 1024];
        new Random(1).nextBytes(content);
        AssetId id = AssetId.of(content);
        AlloClient publisher = join(server, clients, "publisher");
        publisher.onAsset(frame -> {
            if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok
                    && ok.message() instanceof AssetMessage.Request request) {
                int offset = (int) request.offset();
                int length = (int) Math.min(request.length(), content.length - offset);
                publisher.sendAsset(new AssetMessage.Data(id, offset, content.length,
                        java.util.Arrays.copyOfRange(content, offset, offset + length)).encode());
            }
        });
        for (int round = 0; round < 2; round++) {
            AlloClient downloader = join(server, clients, "downloader" + round);
            long start = System.nanoTime();
            byte[] got = download(downloader, id).get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!java.util.Arrays.equals(got, content)) {
                throw new IllegalStateException("asset differs");
            }
            System.out.printf("assets %s bytes=%d seconds=%.3f MB_per_s=%.1f%n", round == 0 ? "via-publisher" : "from-store",
                    content.length, seconds, content.length / 1e6 / seconds);
        }
    }

    private static CompletableFuture<byte[]> download(AlloClient client, AssetId id) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        client.onAsset(frame -> {
            if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok && ok.message() instanceof AssetMessage.Data data) {
                received.writeBytes(data.payload());
                long next = data.offset() + data.payload().length;
                if (next >= data.totalLength()) {
                    result.complete(received.toByteArray());
                } else {
                    client.sendAsset(new AssetMessage.Request(id, next, Math.min(1 << 20, data.totalLength() - next),
                            Optional.empty()).encode());
                }
            } else {
                result.completeExceptionally(new IllegalStateException("asset failed"));
            }
        });
        client.sendAsset(new AssetMessage.Request(id, 0, 1 << 20, Optional.empty()).encode());
        return result;
    }
}
