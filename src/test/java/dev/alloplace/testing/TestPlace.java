package dev.alloplace.testing;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.server.PlaceServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole server on 127.0.0.1 with ephemeral ports, plus a client host speaking to it over real
 * ENet, for end-to-end tests that see exactly what a visor or app sees.
 */
public final class TestPlace implements AutoCloseable {

    private final PlaceServer server;
    private final AlloClientHost clients;
    private ManualClock clock;

    private TestPlace(PlaceServer server) {
        this.server = server;
        this.clients = AlloClientHost.start(
                new EnetTransport(EnetSettings.loopbackClient().toBuilder().maxPeers(256).build()));
    }

    public static TestPlace start() throws Exception {
        return start(Map.of(), List.of());
    }

    public static TestPlace start(Map<String, String> settings, List<PlaceExtension> extensions) throws Exception {
        return new TestPlace(PlaceServer.start(config(settings), extensions));
    }

    /**
     * A server whose place loop runs on {@code clock}: heartbeats, deadlines and pacing happen
     * when the test advances it ({@link #heartbeats(int)}), not as wall-clock time passes.
     */
    public static TestPlace start(Map<String, String> settings, ManualClock clock) throws Exception {
        return start(settings, clock, EnetTransport::new);
    }

    /** As {@link #start(Map, ManualClock)}, on a transport made by {@code transports} (e.g. one that records). */
    public static TestPlace start(Map<String, String> settings, ManualClock clock,
            java.util.function.Function<EnetSettings, dev.alloplace.transport.Transport> transports) throws Exception {
        TestPlace place = new TestPlace(PlaceServer.start(config(settings), List.of(), transports, clock));
        place.clock = clock;
        clock.onAdvance(() -> place.server.place().call(p -> null));
        return place;
    }

    /**
     * A test server's configuration: loopback, ephemeral ports, a fresh data directory, then
     * {@code settings} on top.
     */
    public static Config config(Map<String, String> settings) throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("server.bind", "127.0.0.1");
        flags.put("server.port", "0");
        flags.put("admin.bind", "127.0.0.1");
        flags.put("admin.port", "0");
        flags.put("place.name", "Test place");
        flags.put("data_dir", java.nio.file.Files.createTempDirectory("alloplace-test").toString());
        flags.putAll(settings);
        return ConfigLoader.load(flags, Map.of(), null);
    }

    public PlaceServer server() {
        return server;
    }

    public InetSocketAddress address() {
        return server.udpAddress();
    }

    /** The admin endpoint of this server. */
    public AdminCalls admin() {
        return new AdminCalls(server.adminAddress().orElseThrow(() -> new IllegalStateException("admin.port is -1")));
    }

    /** Steps the manual clock one heartbeat period at a time, {@code count} times, waiting for each heartbeat. */
    public void heartbeats(int count) throws Exception {
        java.time.Duration period = java.time.Duration.ofNanos(1_000_000_000L / server.place().settings().heartbeatHz());
        for (int i = 0; i < count; i++) {
            var beat = server.place().nextHeartbeat();
            clock.advance(period);
            beat.get(5, TimeUnit.SECONDS);
        }
    }

    /** Connects a client (not yet announced). */
    public AlloClient connect(ClientOptions options) throws Exception {
        return clients.connect(address(), options).get(5, TimeUnit.SECONDS);
    }

    /** Connects and announces a client named {@code name}. */
    public AlloClient join(String name, ClientOptions options) throws Exception {
        AlloClient client = connect(options);
        client.announce().get(5, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void close() {
        clients.close();
        server.stop(Duration.ofMillis(200));
    }
}
