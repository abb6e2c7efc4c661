package dev.alloplace.testing;

import static dev.alloplace.testing.Waits.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.place.Place;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.server.PlaceServer;
import dev.alloplace.transport.InMemoryNetwork;
import dev.alloplace.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A whole server on 127.0.0.1 with ephemeral ports, plus a client host speaking to it, for tests
 * that see exactly what a visor or app sees: over real ENet, or over the {@link InMemoryNetwork}
 * twin for handler tests that need no sockets. Its chores have names ({@link #join},
 * {@link #ask}, {@link #publish}, {@link #inbox}, {@link #mirrorOf}, {@link #component}, {@link #admin}), and so do
 * its waits:
 * {@link #heartbeats(int)} steps (or, on the wall clock, waits for) the place's own heartbeats.
 * Closing it stops the server and deletes the data directory it made.
 *
 * <p>{@link TestPlaceExtension} injects one into a test method, configured by {@link PlaceConfig}.
 */
public final class TestPlace implements AutoCloseable {

    private final PlaceServer server;
    private final AlloClientHost clients;
    private final ManualClock clock;
    private final Path ownDataDir;
    private final Map<AlloClient, String> names = new ConcurrentHashMap<>();

    private TestPlace(PlaceServer server, AlloClientHost clients, ManualClock clock, Path ownDataDir) {
        this.server = server;
        this.clients = clients;
        this.clock = clock;
        this.ownDataDir = ownDataDir;
        if (clock != null) {
            // A loop parked until its next deadline wakes up when the test moves the clock.
            clock.onAdvance(() -> server.place().call(p -> null));
        }
    }

    /** A place to configure: settings as an operator writes them, extensions, clock, network. */
    public static Builder builder() {
        return new Builder();
    }

    public static TestPlace start() throws Exception {
        return builder().start();
    }

    public static TestPlace start(Map<String, String> settings, List<PlaceExtension> extensions) throws Exception {
        return builder().settings(settings).extensions(extensions).start();
    }

    /**
     * A server whose place loop runs on {@code clock}: heartbeats, deadlines and pacing happen
     * when the test advances it ({@link #heartbeats(int)}), not as wall-clock time passes.
     */
    public static TestPlace start(Map<String, String> settings, ManualClock clock) throws Exception {
        return builder().settings(settings).clock(clock).start();
    }

    /** As {@link #start(Map, ManualClock)}, on a transport made by {@code transports} (e.g. one that records). */
    public static TestPlace start(Map<String, String> settings, ManualClock clock,
            Function<EnetSettings, Transport> transports) throws Exception {
        return builder().settings(settings).clock(clock).transports(transports).start();
    }

    /**
     * A test server's configuration: loopback, ephemeral ports, a fresh data directory, then
     * {@code settings} on top. Whoever uses the data directory deletes it ({@link #deleteTree});
     * a {@code TestPlace} deletes its own.
     */
    public static Config config(Map<String, String> settings) throws Exception {
        Map<String, String> flags = new HashMap<>(settings);
        flags.computeIfAbsent("data_dir", key -> newDataDir().toString());
        return testConfig(flags);
    }

    private static Config testConfig(Map<String, String> settings) throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("server.bind", "127.0.0.1");
        flags.put("server.port", "0");
        flags.put("admin.bind", "127.0.0.1");
        flags.put("admin.port", "0");
        flags.put("place.name", "Test place");
        flags.putAll(settings);
        return ConfigLoader.load(flags, Map.of(), null);
    }

    private static Path newDataDir() {
        try {
            return Files.createTempDirectory("alloplace-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    // ------------------------------------------------------------------ the server

    public PlaceServer server() {
        return server;
    }

    public Place place() {
        return server.place();
    }

    public InetSocketAddress address() {
        return server.udpAddress();
    }

    /** The admin endpoint of this server. */
    public AdminCalls admin() {
        return new AdminCalls(server.adminAddress().orElseThrow(() -> new IllegalStateException("admin.port is -1")));
    }

    /** The clock the place runs on, if the test steps it. */
    public Optional<ManualClock> clock() {
        return Optional.ofNullable(clock);
    }

    /**
     * Returns after {@code count} more heartbeats of the place: on a manual clock each is one step
     * of a heartbeat period; on the wall clock the test waits for the place to beat that often.
     */
    public void heartbeats(int count) throws Exception {
        Duration period = Duration.ofNanos(1_000_000_000L / place().settings().heartbeatHz());
        for (int i = 1; i <= count; i++) {
            var beat = place().nextHeartbeat();
            if (clock != null) {
                clock.advance(period);
            }
            await("heartbeat " + i + " of " + count, beat);
        }
    }

    /** What {@code query} returns on the place thread (the world, the agents, the loop's parts). */
    public <T> T onPlace(Function<PlaceContext, T> query) throws Exception {
        return await("the place thread answers a query", place().call(query));
    }

    /**
     * Returns once {@code condition} holds on the place thread, asking it every few
     * milliseconds: for what the place does on its own schedule (a handshake completing).
     */
    public void untilOnPlace(String what, Predicate<PlaceContext> condition) {
        Waits.until(what, Waits.PATIENCE, Duration.ofMillis(2),
                () -> await("the place thread answers whether " + what, place().call(condition::test)));
    }

    /** A component of an entity as the place holds it now; empty if either does not exist. */
    public Optional<JsonNode> component(String entityId, String component) throws Exception {
        return onPlace(p -> p.world().entity(entityId).map(e -> e.components().get(component)));
    }

    // ------------------------------------------------------------------ agents

    /** Connects a client (not yet announced). */
    public AlloClient connect(ClientOptions options) throws Exception {
        String name = options.identity().path("display_name").asText("client");
        AlloClient client = await(name + " connects", clients.connect(address(), options));
        names.put(client, name);
        return client;
    }

    /** Connects and announces a visor named {@code name} with the default options. */
    public AlloClient join(String name) throws Exception {
        return join(name, ClientOptions.defaults(name));
    }

    /**
     * Connects and announces a client named {@code name} with {@code options}, which must be
     * made for that name ({@code ClientOptions.defaults(name)...}).
     */
    public AlloClient join(String name, ClientOptions options) throws Exception {
        String displayName = options.identity().path("display_name").asText(null);
        if (displayName != null && !displayName.equals(name)) {
            throw new IllegalArgumentException("join(\"" + name + "\", ...) with options for \"" + displayName + "\"");
        }
        AlloClient client = connect(options);
        names.put(client, name);
        await(name + "'s announce is answered", client.announce());
        return client;
    }

    /** How the test calls {@code client}: the name it joined with. */
    public String nameOf(AlloClient client) {
        return names.getOrDefault(client, "a client");
    }

    /** The place's answer to {@code client}'s request {@code body} (a place request, e.g. spawn_entity). */
    public ArrayNode ask(AlloClient client, Object... body) throws Exception {
        return request(client, "place", Interaction.body(body));
    }

    /** The answer {@code client} gets to a request {@code body} sent to entity {@code to}. */
    public ArrayNode request(AlloClient client, String to, ArrayNode body) throws Exception {
        return await(nameOf(client) + " is answered " + body.path(0).asText("its request") + " by " + to,
                client.request(to, body));
    }

    /** Publishes {@code body} from {@code client}'s avatar, to whoever subscribed to it. */
    public void publish(AlloClient client, Object... body) {
        client.send(new Interaction(InteractionType.PUBLICATION, client.avatarId(), "", "", Interaction.body(body)));
    }

    /**
     * {@code client}'s mirror of the place once it has {@code what} (e.g. "the spawned box"),
     * as {@code condition} tells.
     */
    public Map<String, ObjectNode> mirrorOf(AlloClient client, String what, Predicate<Map<String, ObjectNode>> condition)
            throws Exception {
        return await(nameOf(client) + "'s mirror has " + what, client.awaitState(condition));
    }

    /** Every interaction {@code client} receives from now on, to wait for and look through. */
    public Inbox inbox(AlloClient client) {
        Inbox inbox = new Inbox(nameOf(client));
        client.onInteraction(inbox::add);
        return inbox;
    }

    /**
     * Each of {@code clients}, in turn, makes a round trip to the place (a {@code list_agents}
     * request): what it sent before has been handled, and what the place sent it before on its
     * commands channel has arrived. After {@code caughtUp(sender, receiver)}, whatever the
     * sender's earlier messages made the place send the receiver is in; what is not, never comes.
     */
    public void caughtUp(AlloClient... clients) throws Exception {
        for (AlloClient client : clients) {
            await(nameOf(client) + " has caught up with the place",
                    client.request(client.avatarId() == null ? "" : client.avatarId(), "place",
                            Interaction.body("list_agents")));
        }
    }

    /** Disconnects {@code client} and waits until it is gone. */
    public void leave(AlloClient client) throws Exception {
        await(nameOf(client) + " has left", client.disconnect());
    }

    @Override
    public void close() {
        clients.close();
        server.stop(Duration.ofMillis(200));
        deleteTree(ownDataDir);
    }

    /** How a {@link TestPlace} is made; {@link #start()} makes it. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<PlaceExtension> extensions = new ArrayList<>();
        private ManualClock clock;
        private boolean inMemory;
        private Function<EnetSettings, Transport> transports = EnetTransport::new;

        private Builder() {
        }

        /** One setting by its key, as in the YAML file ({@code place.heartbeat_hz}). */
        public Builder set(String key, Object value) {
            settings.put(key, String.valueOf(value));
            return this;
        }

        public Builder settings(Map<String, String> more) {
            settings.putAll(more);
            return this;
        }

        public Builder extensions(List<PlaceExtension> more) {
            extensions.addAll(more);
            return this;
        }

        /** The place loop on {@code manual} instead of the wall clock. */
        public Builder clock(ManualClock manual) {
            clock = Objects.requireNonNull(manual);
            return this;
        }

        /** Server and clients on an {@link InMemoryNetwork} instead of ENet over loopback. */
        public Builder inMemory() {
            inMemory = true;
            return this;
        }

        /** The server's ENet transport as {@code made} makes it (e.g. wrapped in one that records). */
        public Builder transports(Function<EnetSettings, Transport> made) {
            transports = Objects.requireNonNull(made);
            return this;
        }

        public TestPlace start() throws Exception {
            Path ownDataDir = settings.containsKey("data_dir") ? null : newDataDir();
            Map<String, String> all = new HashMap<>(settings);
            if (ownDataDir != null) {
                all.put("data_dir", ownDataDir.toString());
            }
            try {
                InMemoryNetwork network = inMemory ? new InMemoryNetwork() : null;
                Function<EnetSettings, Transport> serverTransport = inMemory ? enet -> network.host() : transports;
                LongSupplier nanos = clock != null ? clock : System::nanoTime;
                PlaceServer server = PlaceServer.start(testConfig(all), extensions, serverTransport, nanos);
                AlloClientHost clients = AlloClientHost.start(inMemory ? network.host()
                        : new EnetTransport(EnetSettings.loopbackClient().toBuilder().maxPeers(256).build()));
                return new TestPlace(server, clients, clock, ownDataDir);
            } catch (Exception | Error e) {
                deleteTree(ownDataDir);
                throw e;
            }
        }
    }
}
