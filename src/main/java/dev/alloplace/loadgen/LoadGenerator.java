package dev.alloplace.loadgen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.Pose;
import dev.alloplace.transport.DisconnectCause;
import dev.alloplace.transport.TransportStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated visors over real ENet: they announce avatars with head and hands, send intents
 * with moving poses at the intent rate, acknowledge every diff, optionally poke each other and
 * come and go; a builder fills the place with static entities first. Every run is bounded by
 * its plan's duration and targets loopback only.
 */
public final class LoadGenerator {

    /** How far back the server's own heartbeat CPU figures reach (its ring of the last minute). */
    public static final Duration SERVER_STATS_WINDOW = Duration.ofSeconds(60);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int AGENTS_PER_HOST = 50;
    private static final int ENTITIES_PER_BUILDER = 5_000;
    private static final int LATE_JOIN_PROBES = 7;
    private static final int LATE_JOIN_WARMUPS = 40;
    private static final int LATE_JOIN_WARMUP_SECONDS = 30;
    private static final Duration FIRST_CONTACT = Duration.ofSeconds(5);
    /** What a measured second may spend collecting figures before it is emitted without the missing ones. */
    private static final Duration SAMPLE_BUDGET = Duration.ofMillis(800);
    /** How long a reading of the server's figures may take before it is given up. */
    private static final Duration READING_PATIENCE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final int ENTITIES_PER_SPAWN = 100;

    private final List<AlloClientHost> hosts = new ArrayList<>();
    private final List<AlloClient> players = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Long> interactionNanos = new ConcurrentLinkedQueue<>();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong pokesCutShort = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<AlloClient, Long> lastDiffs = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private LoadProgress progress = sample -> { };
    private String phase = "starting";

    /**
     * Runs {@code plan}: joins, warms up, measures for the plan's duration (or until every agent
     * is gone) and reports as it goes. Fails with a message, not a stack trace, when the place
     * does not answer or a step cannot finish.
     */
    public LoadResult run(LoadPlan plan, LoadProgress listener) throws LoadFailedException {
        this.progress = listener;
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "loadgen");
            t.setDaemon(true);
            return t;
        });
        try {
            return measure(plan, timers);
        } catch (LoadFailedException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailedException("interrupted while " + phase, e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new LoadFailedException("failed while " + phase + ": " + describe(cause), cause);
        } finally {
            timers.shutdownNow();
            for (AlloClientHost host : hosts) {
                host.close();
            }
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no answer in time";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private void phase(String what) {
        phase = what;
        progress.status(what);
    }

    private LoadResult measure(LoadPlan plan, ScheduledExecutorService timers) throws Exception {
        ChannelLayout layout = plan.protocol() == 3 ? ChannelLayout.V3 : ChannelLayout.V4;
        phase("connecting to " + plan.targetText());
        checkThePlaceAnswers(plan, layout);
        ServerProbe server = new ServerProbe(plan.admin());
        if (server.enabled() && server.read(Duration.ofSeconds(3)).get().isEmpty()) {
            log.warn("no admin endpoint answered at {}; the run goes on without the server's heartbeat and CPU figures",
                    plan.admin());
            server = new ServerProbe(null);
        }
        int builders = (plan.staticEntities() + ENTITIES_PER_BUILDER - 1) / ENTITIES_PER_BUILDER;
        for (int b = 0; b < builders; b++) {
            AlloClient builder = join(plan, "builder" + b, layout, false);
            int count = Math.min(ENTITIES_PER_BUILDER, plan.staticEntities() - b * ENTITIES_PER_BUILDER);
            build(builder, b * ENTITIES_PER_BUILDER, count, plan.staticEntities());
        }
        OptionalDouble lateJoin = OptionalDouble.empty();
        if (plan.staticEntities() + plan.placeEntities() > 0) {
            lateJoin = OptionalDouble.of(lateJoin(plan, layout));
        }
        for (int i = 0; i < plan.agents(); i++) {
            if (i % 10 == 0) {
                phase("joining agents: " + i + " of " + plan.agents());
            }
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
            warmUpInteractions(plan.interactionWarmUp(), server);
        }
        if (plan.churnPerMinute() > 0 && plan.agents() > 0) {
            long every = (long) (60e9 / plan.churnPerMinute());
            timers.scheduleAtFixedRate(() -> churn(plan, layout), every, every, TimeUnit.NANOSECONDS);
        }

        phase("measuring for " + plan.duration().toSeconds() + " s");
        List<Sample> samples = new ArrayList<>();
        Optional<ServerProbe.Reading> first = server.read(READING_PATIENCE).get();
        ServerReadings readings = new ServerReadings(first);
        long start = System.nanoTime();
        long[] lastBytes = bytes();
        long lastTick = start;
        long lastDiffTotal = diffs();
        String stoppedEarly = null;
        long end = start + plan.duration().toNanos();
        for (int second = 1; ; second++) {
            long due = start + second * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            readings.ask(server.read(READING_PATIENCE));
            long diffTotal = diffs();
            long now = System.nanoTime();
            long[] nowBytes = bytes();
            double interval = (now - lastTick) / 1e9;
            double[] rtt = interactionPercentiles();
            ServerReadings.Since server2 = readings.newest(SAMPLE_BUDGET.toNanos() - (System.nanoTime() - now));
            Sample sample = new Sample(second, connected(), Math.round((diffTotal - lastDiffTotal) / interval),
                    Math.round((nowBytes[0] - lastBytes[0]) / interval), Math.round((nowBytes[1] - lastBytes[1]) / interval),
                    server2.heartbeats().quantileMillis(0.5), server2.heartbeats().quantileMillis(0.99), (long) rtt[2],
                    rtt[2] > 0 ? OptionalDouble.of(rtt[0]) : OptionalDouble.empty(),
                    rtt[2] > 0 ? OptionalDouble.of(rtt[1]) : OptionalDouble.empty(), server2.cpuPercent());
            samples.add(sample);
            progress.sample(sample);
            lastBytes = nowBytes;
            lastDiffTotal = diffTotal;
            lastTick = now;
            if (plan.agents() > 0 && sample.agentsConnected() == 0) {
                stoppedEarly = "every agent was disconnected by second " + second;
                log.warn("stopping early: {}", stoppedEarly);
                break;
            }
            if (now >= end) {
                break;
            }
        }
        Optional<ServerProbe.Reading> latest = readings.last(READING_PATIENCE);
        timers.shutdownNow();
        double seconds = (lastTick - start) / 1e9;
        if (pokesCutShort.get() > 0) {
            log.info("{} pokes were answered with an error because churn took their sender or recipient away",
                    pokesCutShort.get());
        }
        OptionalDouble p50 = OptionalDouble.empty();
        OptionalDouble p99 = OptionalDouble.empty();
        OptionalDouble cpuP50 = OptionalDouble.empty();
        OptionalDouble cpuP99 = OptionalDouble.empty();
        OptionalDouble efficiency = OptionalDouble.empty();
        OptionalDouble cpu = OptionalDouble.empty();
        long heartbeats = 0;
        if (first.isPresent() && latest.isPresent() && latest.get() != first.get()) {
            HeartbeatHistogram window = latest.get().heartbeats().since(first.get().heartbeats());
            heartbeats = window.count();
            p50 = window.quantileMillis(0.5);
            p99 = window.quantileMillis(0.99);
            cpu = latest.get().cpuPercentSince(first.get());
            long mergeBytes = latest.get().merges("merge_bytes_sent") - first.get().merges("merge_bytes_sent");
            long content = latest.get().merges("merge_content_bytes_sent") - first.get().merges("merge_content_bytes_sent");
            if (first.get().merges("merge_bytes_sent") >= 0 && content > 0) {
                efficiency = OptionalDouble.of((double) mergeBytes / content);
            }
            if (seconds >= SERVER_STATS_WINDOW.toSeconds() && latest.get().stats().has("heartbeat_cpu_p50_ms")) {
                cpuP50 = OptionalDouble.of(latest.get().stats().path("heartbeat_cpu_p50_ms").asDouble());
                cpuP99 = OptionalDouble.of(latest.get().stats().path("heartbeat_cpu_p99_ms").asDouble());
            }
        }
        double bytesIn = 0;
        for (Sample s : samples) {
            bytesIn += s.bytesInPerSecond();
        }
        double perClient = plan.agents() == 0 || samples.isEmpty() ? 0 : bytesIn / samples.size() / plan.agents();
        double[] rtt = percentiles(allInteractions);
        return new LoadResult(plan, samples, seconds, p50, p99, heartbeats, cpuP50, cpuP99, perClient, lateJoin,
                rtt[2] > 0 ? OptionalDouble.of(rtt[0]) : OptionalDouble.empty(),
                rtt[2] > 0 ? OptionalDouble.of(rtt[1]) : OptionalDouble.empty(), efficiency, cpu, disconnects.get(),
                errors.get(), Optional.ofNullable(stoppedEarly));
    }

    /** One ENet connection, so that a missing place is one clear sentence instead of a timeout later. */
    private void checkThePlaceAnswers(LoadPlan plan, ChannelLayout layout) throws LoadFailedException, InterruptedException {
        AlloClient probe;
        try {
            probe = hostFor(joined++).connect(plan.target(), ClientOptions.defaults("loadgen-probe").withLayout(layout)
                    .withoutMirror()).get(FIRST_CONTACT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LoadFailedException("no place answered at " + plan.targetText() + " within " + FIRST_CONTACT.toSeconds()
                    + " s; is the server running?", e);
        }
        try {
            probe.disconnect().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("probe connection did not close cleanly: {}", e.toString());
        }
    }

    private AlloClientHost hostFor(int index) {
        int needed = index / AGENTS_PER_HOST + 1;
        while (hosts.size() < needed) {
            hosts.add(AlloClientHost.start(new EnetTransport(
                    EnetSettings.loopbackClient().toBuilder().maxPeers(AGENTS_PER_HOST + 8).build())));
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
        if (plan.signedIdentities()) {
            options = options.withIdentityKey(IdentityKey.generate());
        }
        AlloClient client = hostFor(joined++).connect(plan.target(), options).get(30, TimeUnit.SECONDS);
        // Counts only disconnects the load generator did not ask for (probes and churn leave on purpose).
        client.disconnected().thenAccept(gone -> {
            if (gone.cause() != DisconnectCause.LOCAL) {
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

    private void build(AlloClient builder, int before, int count, int total) throws Exception {
        List<CompletableFuture<ArrayNode>> pending = new ArrayList<>();
        for (int made = 0; made < count; made += ENTITIES_PER_SPAWN) {
            if (made % 1000 == 0) {
                phase("building static entities: " + (before + made) + " of " + total);
            }
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
            phase("late join: warm-up " + (i + 1) + " of up to " + LATE_JOIN_WARMUPS);
            probeLateJoin(plan, layout, "warm-up " + (i + 1));
        }
        double[] millis = new double[LATE_JOIN_PROBES];
        for (int i = 0; i < LATE_JOIN_PROBES; i++) {
            phase("late join: probe " + (i + 1) + " of " + LATE_JOIN_PROBES);
            millis[i] = probeLateJoin(plan, layout, "probe " + (i + 1));
        }
        Arrays.sort(millis);
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
        log.debug("late join {}: announce answered in {} ms, mirror of {} entities complete after {} ms", label,
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
    private void warmUpInteractions(Duration warmUp, ServerProbe server) throws Exception {
        long began = System.nanoTime();
        long end = began + warmUp.toNanos();
        long roundTrips = 0;
        double[] lastSecond = {0, 0, 0};
        while (System.nanoTime() < end) {
            phase("warming up interactions: " + (System.nanoTime() - began) / 1_000_000_000L + " of " + warmUp.toSeconds() + " s");
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            lastSecond = interactionPercentiles();
            roundTrips += (long) lastSecond[2];
            server.read(SAMPLE_BUDGET).get();
            diffs();
        }
        allInteractions.clear();
        log.debug("interactions warmed up: {} round trips, last second p50 {} ms, p99 {} ms", roundTrips,
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

    private static double[] percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new double[] {0, 0, 0};
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
                log.debug("warm-up: every agent had the world after {} ms", (System.nanoTime() - began) / 1_000_000);
                return;
            }
            phase("waiting for every agent's first state: " + (players.size() - waiting) + " of " + players.size());
            Thread.sleep(200);
        }
        log.warn("warm-up: some agents still had no state after two minutes; measuring anyway");
    }

    /**
     * Diffs applied by every player so far. Each player's loop is asked at once; one that does
     * not answer within the sample budget counts with its last known figure (its diffs then show
     * in a later second), so that a busy client never delays or skips a measured second.
     */
    private long diffs() throws InterruptedException {
        List<AlloClient> now = List.copyOf(players);
        List<CompletableFuture<long[]>> asked = new ArrayList<>();
        for (AlloClient player : now) {
            asked.add(player.diffCounters());
        }
        long deadline = System.nanoTime() + SAMPLE_BUDGET.toNanos();
        long total = 0;
        for (int i = 0; i < now.size(); i++) {
            AlloClient player = now.get(i);
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                long counted = asked.get(i).get(left, TimeUnit.NANOSECONDS)[0];
                lastDiffs.put(player, counted);
                total += counted;
            } catch (TimeoutException e) {
                total += lastDiffs.getOrDefault(player, 0L);
            } catch (ExecutionException e) {
                if (!player.disconnected().isDone()) {
                    errors.incrementAndGet();
                }
                total += lastDiffs.getOrDefault(player, 0L);
            }
        }
        for (AlloClient gone : lastDiffs.keySet()) {
            if (!now.contains(gone)) {
                total += lastDiffs.get(gone); // churned away: what it applied still counts
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
