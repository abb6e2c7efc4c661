package dev.alloplace.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.Pose;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.transport.TransportStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Simulated visors over real ENet: they announce avatars with head and hands, send intents
 * with moving poses at the intent rate, acknowledge every diff, optionally poke each other and
 * come and go; a builder fills the place with static entities first. Every run is bounded by
 * its plan's duration and targets loopback only.
 */
public final class LoadGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int AGENTS_PER_HOST = 50;
    private static final int ENTITIES_PER_BUILDER = 5_000;
    private static final int LATE_JOIN_PROBES = 7;
    private static final int LATE_JOIN_WARMUPS = 40;
    private static final int LATE_JOIN_WARMUP_SECONDS = 30;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoadGenerator.class);
    private static final int ENTITIES_PER_SPAWN = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AlloClientHost> hosts = new ArrayList<>();
    private final List<AlloClient> players = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Long> interactionNanos = new ConcurrentLinkedQueue<>();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong pokesCutShort = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Random random = new Random(42);

    public LoadResult run(LoadPlan plan, Consumer<Sample> progress) throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "loadgen");
            t.setDaemon(true);
            return t;
        });
        try {
            ChannelLayout layout = plan.protocol() == 3 ? ChannelLayout.V3 : ChannelLayout.V4;
            int builders = (plan.staticEntities() + ENTITIES_PER_BUILDER - 1) / ENTITIES_PER_BUILDER;
            for (int b = 0; b < builders; b++) {
                AlloClient builder = join(plan, "builder" + b, layout, false);
                int count = Math.min(ENTITIES_PER_BUILDER, plan.staticEntities() - b * ENTITIES_PER_BUILDER);
                build(builder, count);
            }
            double lateJoin = -1;
            if (plan.staticEntities() + plan.placeEntities() > 0) {
                lateJoin = lateJoin(plan, layout);
            }
            for (int i = 0; i < plan.agents(); i++) {
                players.add(join(plan, "agent" + i, layout, true));
            }
            long period = 1_000_000_000L / plan.intentHz();
            long moving = System.nanoTime();
            timers.scheduleAtFixedRate(() -> moveEveryone((System.nanoTime() - moving) / 1e9, plan.still()), 0, period,
                    TimeUnit.NANOSECONDS);
            awaitEveryoneHasTheWorld();
            if (plan.interactionsPerSecond() > 0 && plan.agents() > 1) {
                long every = (long) (1e9 / (plan.interactionsPerSecond() * plan.agents()));
                long rampStart = System.nanoTime();
                long ramp = plan.interactionWarmUp().toNanos() * 2 / 3;
                timers.scheduleAtFixedRate(() -> poke(rampStart, ramp), every, Math.max(every, 10_000), TimeUnit.NANOSECONDS);
                warmUpInteractions(plan.interactionWarmUp(), plan.admin());
            }
            long start = System.nanoTime();
            if (plan.churnPerMinute() > 0 && plan.agents() > 0) {
                long every = (long) (60e9 / plan.churnPerMinute());
                timers.scheduleAtFixedRate(() -> churn(plan, layout), every, every, TimeUnit.NANOSECONDS);
            }
            List<Sample> samples = new ArrayList<>();
            long[] mergesAtStart = merges(serverStats(plan.admin()));
            long[] lastBytes = bytes();
            long lastDiffs = diffs();
            long end = start + plan.duration().toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                long[] nowBytes = bytes();
                long nowDiffs = diffs();
                double[] server = heartbeat(serverStats(plan.admin()));
                double[] rtt = interactionPercentiles();
                Sample sample = new Sample((System.nanoTime() - start) / 1e9, connected(), nowDiffs - lastDiffs,
                        nowBytes[0] - lastBytes[0], nowBytes[1] - lastBytes[1], server[0], server[1], server[2],
                        (long) rtt[2], rtt[0], rtt[1], serverCpu(plan.admin()));
                samples.add(sample);
                progress.accept(sample);
                lastBytes = nowBytes;
                lastDiffs = nowDiffs;
            }
            timers.shutdownNow();
            if (pokesCutShort.get() > 0) {
                log.info("{} pokes were answered with an error because churn took their sender or recipient away",
                        pokesCutShort.get());
            }
            JsonNode finalStats = serverStats(plan.admin());
            long[] mergesAtEnd = merges(finalStats);
            long content = mergesAtEnd[1] - mergesAtStart[1];
            double efficiency = mergesAtStart[0] < 0 || content <= 0 ? -1
                    : (double) (mergesAtEnd[0] - mergesAtStart[0]) / content;
            double[] server = heartbeat(finalStats);
            double seconds = (System.nanoTime() - start) / 1e9;
            double bytesIn = samples.stream().mapToLong(Sample::bytesInPerSecond).sum();
            double perClient = plan.agents() == 0 ? 0 : bytesIn / seconds / plan.agents();
            double[] rtt = allInteractionPercentiles(samples);
            return new LoadResult(plan, samples, server[1], server[2], perClient, lateJoin, rtt[0], rtt[1],
                    disconnects.get(), errors.get(), efficiency, server[3], server[4]);
        } finally {
            timers.shutdownNow();
            for (AlloClientHost host : hosts) {
                host.close();
            }
        }
    }

    private AlloClientHost hostFor(int index) {
        int needed = index / AGENTS_PER_HOST + 1;
        while (hosts.size() < needed) {
            hosts.add(AlloClientHost.start(new EnetTransport(EnetSettings.loopbackClient().withMaxPeers(AGENTS_PER_HOST + 8))));
        }
        return hosts.get(needed - 1);
    }

    private int joined;

    private AlloClient join(LoadPlan plan, String name, ChannelLayout layout, boolean answersPokes) throws Exception {
        AlloClient client = connect(plan, name, layout, answersPokes);
        client.announce().get(30, TimeUnit.SECONDS);
        return client;
    }

    private AlloClient connect(LoadPlan plan, String name, ChannelLayout layout, boolean answersPokes) throws Exception {
        ObjectNode avatar = ClientOptions.defaults(name).avatar().deepCopy();
        ArrayNode children = avatar.putArray("children");
        for (String pose : new String[] {"head", "hand/left", "hand/right"}) {
            children.addObject().putObject("intent").put("actuate_pose", pose);
        }
        ClientOptions options = ClientOptions.defaults(name).withLayout(layout).withAvatar(avatar)
                .withIntentInterval(Duration.ofNanos(1_000_000_000L / plan.intentHz()));
        if (!"latecomer".equals(name)) {
            options = options.withoutMirror();
        }
        AlloClient client = hostFor(joined++).connect(plan.target(), options).get(30, TimeUnit.SECONDS);
        // Counts only disconnects the load generator did not ask for (probes and churn leave on purpose).
        client.disconnected().thenAccept(gone -> {
            if (gone.cause() != dev.alloplace.transport.DisconnectCause.LOCAL) {
                disconnects.incrementAndGet();
            }
        });
        if (answersPokes) {
            client.onInteraction(interaction -> {
                if (interaction.type() == InteractionType.REQUEST) {
                    client.respond(interaction, Interaction.body(interaction.name(), "ok"));
                }
            });
        }
        return client;
    }

    private void build(AlloClient builder, int count) throws Exception {
        List<CompletableFuture<ArrayNode>> pending = new ArrayList<>();
        for (int made = 0; made < count; made += ENTITIES_PER_SPAWN) {
            int size = Math.min(ENTITIES_PER_SPAWN, count - made);
            ObjectNode root = F.objectNode();
            root.putObject("geometry").put("type", "hardcoded-model").put("name", "box");
            ArrayNode children = root.putArray("children");
            for (int c = 1; c < size; c++) {
                ObjectNode child = children.addObject();
                child.putObject("transform").set("matrix", matrix(translation(c % 10, c / 100.0, c / 10 % 10)));
                child.putObject("material").putArray("color").add(0.5).add(0.5).add(c / (double) size).add(1);
            }
            pending.add(builder.request("place", Interaction.body("spawn_entity", root)));
            if (pending.size() >= 100) {
                for (CompletableFuture<ArrayNode> spawn : pending) {
                    spawn.get(60, TimeUnit.SECONDS);
                }
                pending.clear();
            }
        }
        for (CompletableFuture<ArrayNode> spawn : pending) {
            ArrayNode answer = spawn.get(60, TimeUnit.SECONDS);
            if (!"spawn_entity".equals(answer.path(0).asText()) || answer.size() != 2) {
                throw new IllegalStateException("spawn refused: " + answer);
            }
        }
    }

    /**
     * Median time from announce to a mirror holding every expected entity, over
     * {@value #LATE_JOIN_PROBES} latecomers after unmeasured warm-ups ({@value #LATE_JOIN_WARMUPS},
     * or fewer if they take longer than {@value #LATE_JOIN_WARMUP_SECONDS} s). The probe is a Java
     * client: until its JIT has compiled the JSON parser, a large state takes several times longer
     * to read, which says nothing about the place (a visor's parser is native code).
     */
    private double lateJoin(LoadPlan plan, ChannelLayout layout) throws Exception {
        long warmUpEnd = System.nanoTime() + LATE_JOIN_WARMUP_SECONDS * 1_000_000_000L;
        for (int i = 0; i < LATE_JOIN_WARMUPS && System.nanoTime() < warmUpEnd; i++) {
            probeLateJoin(plan, layout, "warm-up " + (i + 1));
        }
        double[] millis = new double[LATE_JOIN_PROBES];
        for (int i = 0; i < LATE_JOIN_PROBES; i++) {
            millis[i] = probeLateJoin(plan, layout, "probe " + (i + 1));
        }
        java.util.Arrays.sort(millis);
        return millis[LATE_JOIN_PROBES / 2];
    }

    private double probeLateJoin(LoadPlan plan, ChannelLayout layout, String label) throws Exception {
        int expected = plan.staticEntities() + plan.placeEntities();
        AlloClient probe = connect(plan, "latecomer", layout, false);
        long start = System.nanoTime();
        probe.announce().get(30, TimeUnit.SECONDS);
        long announced = System.nanoTime();
        probe.awaitProbe(entities -> entities.size() >= expected ? Boolean.TRUE : null).get(60, TimeUnit.SECONDS);
        long complete = System.nanoTime();
        probe.disconnect().get(10, TimeUnit.SECONDS);
        log.info("late join {}: announce answered in {} ms, mirror of {} entities complete after {} ms", label,
                String.format("%.1f", (announced - start) / 1e6), expected, String.format("%.1f", (complete - start) / 1e6));
        return (complete - start) / 1e6;
    }

    private void moveEveryone(double t, boolean still) {
        for (int i = 0; i < players.size(); i++) {
            double phase = (still ? 0 : t * 2) + i;
            Map<String, Pose> poses = Map.of(
                    "head", new Pose(translation(0.05 * Math.sin(phase), 1.6, 0.05 * Math.cos(phase)), null),
                    "hand/left", new Pose(translation(-0.3, 1.0 + 0.1 * Math.sin(phase), -0.3), null),
                    "hand/right", new Pose(translation(0.3, 1.0 + 0.1 * Math.cos(phase), -0.3), null));
            players.get(i).setIntent(still ? new Intent(null, true, 0, 0, phase / 5, 0, poses, 0)
                    : new Intent(null, true, 0.3 * Math.sin(phase / 3), -0.5, phase / 5, 0, poses, 0));
        }
    }

    /**
     * Pokes ramp up from nothing to the full rate over two thirds of the warm-up and run at it for
     * the last third before anything is measured (30 s in `scripts/bench`). Both JVMs start cold:
     * the full rate from the first second is a burst the place and the load generator's clients
     * meet interpreted, and on two shared cores the queues and retransmissions it causes take
     * tens of seconds to drain, which says nothing about a running server. Each warm-up second
     * does what a measured second does (drain round trips, read the server's figures), so the
     * first measured second is not the first time the load generator or the admin API does that
     * work. Failures during the warm-up still count as errors.
     */
    private void warmUpInteractions(Duration warmUp, URI admin) throws InterruptedException {
        long end = System.nanoTime() + warmUp.toNanos();
        long roundTrips = 0;
        double[] lastSecond = {0, 0, 0};
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            lastSecond = interactionPercentiles();
            roundTrips += (long) lastSecond[2];
            heartbeat(serverStats(admin));
            serverCpu(admin);
        }
        allInteractions.clear();
        log.info("interactions warmed up: {} round trips, last second p50 {} ms, p99 {} ms; measuring from now", roundTrips,
                String.format("%.2f", lastSecond[0]), String.format("%.2f", lastSecond[1]));
    }

    private void poke(long rampStart, long rampNanos) {
        long elapsed = System.nanoTime() - rampStart;
        if (elapsed < rampNanos && random.nextDouble() * rampNanos > elapsed) {
            return;
        }
        int size = players.size();
        if (size < 2) {
            return;
        }
        AlloClient from = players.get(random.nextInt(size));
        AlloClient to = players.get(random.nextInt(size));
        if (from == to || to.avatarId() == null) {
            return;
        }
        long start = System.nanoTime();
        from.request(to.avatarId(), Interaction.body("poke", true)).whenComplete((answer, failure) -> {
            if (failure != null || !"ok".equals(answer.path(1).asText())) {
                if (!players.contains(from) || !players.contains(to)) {
                    // churn took one of them away mid-request: the place answered as it should
                    pokesCutShort.incrementAndGet();
                } else {
                    log.warn("poke from {} to {} failed: {}", from.avatarId(), to.avatarId(),
                            failure != null ? failure.toString() : answer.toString());
                    errors.incrementAndGet();
                }
            } else {
                interactionNanos.add(System.nanoTime() - start);
            }
        });
    }

    private void churn(LoadPlan plan, ChannelLayout layout) {
        try {
            AlloClient leaving = players.remove(random.nextInt(players.size()));
            leaving.disconnect();
            players.add(join(plan, "churn" + joined, layout, true));
        } catch (Exception e) {
            log.warn("churn failed: {}", e.toString());
            errors.incrementAndGet();
        }
    }

    private final List<Long> allInteractions = new ArrayList<>();

    private double[] interactionPercentiles() {
        List<Long> window = new ArrayList<>();
        Long next;
        while ((next = interactionNanos.poll()) != null) {
            window.add(next);
        }
        allInteractions.addAll(window);
        return percentiles(window);
    }

    private double[] allInteractionPercentiles(List<Sample> samples) {
        return percentiles(allInteractions);
    }

    private static double[] percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new double[] {-1, -1, 0};
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2] / 1e6, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
            sorted.length};
    }

    private int connected() {
        int count = 0;
        for (AlloClient player : players) {
            if (!player.disconnected().isDone()) {
                count++;
            }
        }
        return count;
    }

    /**
     * Warm-up: every player has a full state before the measured period begins, so the figures
     * describe a running place rather than a hundred simultaneous joins (at most two minutes).
     */
    private void awaitEveryoneHasTheWorld() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long began = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int waiting = 0;
            for (AlloClient player : players) {
                if (player.disconnected().isDone()) {
                    continue; // counted as a disconnect; it will never have the world
                }
                try {
                    if (player.diffCounters().get(2, TimeUnit.SECONDS)[0] == 0) {
                        waiting++;
                    }
                } catch (Exception e) {
                    waiting++;
                }
            }
            if (waiting == 0) {
                log.info("warm-up: every agent had the world after {} ms; measuring from now",
                        (System.nanoTime() - began) / 1_000_000);
                return;
            }
            Thread.sleep(200);
        }
        log.warn("warm-up: some agents still had no state after two minutes; measuring anyway");
    }

    private long diffs() {
        long total = 0;
        for (AlloClient player : players) {
            try {
                total += player.diffCounters().get(2, TimeUnit.SECONDS)[0];
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
        return total;
    }

    private long[] bytes() {
        long in = 0;
        long out = 0;
        for (AlloClientHost host : hosts) {
            TransportStats stats = host.transportStats();
            in += stats.bytesReceived();
            out += stats.bytesSent();
        }
        return new long[] {in, out};
    }

    /** The server's {@code /api/stats}, or a missing node without the admin endpoint or on failure. */
    private JsonNode serverStats(URI admin) {
        if (admin == null) {
            return MissingNode.getInstance();
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin.resolve("/api/stats"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return ProtocolJson.mapper().readTree(response.body());
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /** The server's merge-patch bytes sent and the changed JSON bytes they carried, so far. */
    private static long[] merges(JsonNode stats) {
        return new long[] {stats.path("merge_bytes_sent").asLong(-1), stats.path("merge_content_bytes_sent").asLong(-1)};
    }

    /** {last, p50, p99, CPU p50, CPU p99} heartbeat in ms from the server's stats, or -1s. */
    private static double[] heartbeat(JsonNode stats) {
        return new double[] {stats.path("heartbeat_ms").asDouble(-1), stats.path("heartbeat_p50_ms").asDouble(-1),
            stats.path("heartbeat_p99_ms").asDouble(-1), stats.path("heartbeat_cpu_p50_ms").asDouble(-1),
            stats.path("heartbeat_cpu_p99_ms").asDouble(-1)};
    }

    /** The server's {@code process_cpu_usage} from /metrics, as a percentage of all cores. */
    private double serverCpu(URI admin) {
        if (admin == null) {
            return -1;
        }
        try {
            String metrics = http.send(HttpRequest.newBuilder(admin.resolve("/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("process_cpu_usage{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 100;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static double[] translation(double x, double y, double z) {
        return new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, y, z, 1};
    }

    private static ArrayNode matrix(double[] m) {
        ArrayNode array = F.arrayNode();
        for (double v : m) {
            array.add(v);
        }
        return array;
    }
}
