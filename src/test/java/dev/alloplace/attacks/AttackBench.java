package dev.alloplace.attacks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.alloplace.assets.AssetId;
import dev.alloplace.assets.AssetMessage;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.AssetPeer;
import dev.alloplace.testing.RawHttp;
import dev.alloplace.testing.Waits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attacker and the honest crowd of {@code scripts/bench attack}: against a place server
 * running as its own process, four honest visors watch (one walks) through a quiet window, one
 * attack of issue 17, and the minute after it. The script reads the marks this prints on stdout
 * ({@code mark <phase>}) to sample the server's RSS and /metrics at each phase, and the last line
 * ({@code result {...}}) for what the honest clients saw. Every phase ends by itself.
 *
 * <p>{@code java -cp <test classpath> dev.alloplace.attacks.AttackBench <attack> <port> <admin port> [gateway port]}
 * with attack one of {@code fragments assets ssrf heavy publications slots csrf spawn}.
 */
public final class AttackBench {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MIB = 1024 * 1024;

    private final String attack;
    private final InetSocketAddress place;
    private final InetSocketAddress admin;
    private final int gatewayPort;
    private final long attackMillis = Long.getLong("attack.seconds", 15) * 1000;
    private final List<AlloClientHost> honestHosts = new ArrayList<>();
    private final List<AlloClient> honest = new ArrayList<>();
    private final List<AutoCloseable> attackers = new ArrayList<>();
    private final Map<String, Object> figures = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private AlloClientHost attackerHost;
    private int attackerNames;

    private AttackBench(String attack, int port, int adminPort, int gatewayPort) {
        this.attack = attack;
        this.place = new InetSocketAddress("127.0.0.1", port);
        this.admin = new InetSocketAddress("127.0.0.1", adminPort);
        this.gatewayPort = gatewayPort;
    }

    public static void main(String[] args) throws Exception {
        AttackBench bench = new AttackBench(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args.length > 3 ? Integer.parseInt(args[3]) : 0);
        try {
            bench.run();
        } finally {
            bench.closeAttackers();
            bench.honestHosts.forEach(AlloClientHost::close);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        for (int i = 0; i < 4; i++) {
            AlloClientHost host = AlloClientHost.start(new EnetTransport(EnetSettings.loopbackClient()));
            honestHosts.add(host);
            AlloClient client = Waits.await("honest-" + i + " connects", Duration.ofSeconds(20),
                    host.connect(place, ClientOptions.defaults("honest-" + i).withoutMirror()));
            Waits.await("honest-" + i + "'s announce", Duration.ofSeconds(20), client.announce());
            honest.add(client);
        }
        honest.get(0).setIntent(new Intent(null, true, 1, 0, 0.5, 0, Map.of(), 0));
        Waits.wallClock(Duration.ofSeconds(Long.getLong("warm.seconds", 5)), "the JIT and the clients settle");

        mark("baseline-start");
        long[] before = diffs();
        long started = System.nanoTime();
        Waits.wallClock(Duration.ofSeconds(Long.getLong("baseline.seconds", 10)), "the quiet window");
        figures.put("baseline", rates(before, diffs(), started));
        mark("baseline-end");

        Runnable attackLoop = prepare();
        mark("attack-start");
        before = diffs();
        started = System.nanoTime();
        attackLoop.run();
        figures.put("attack", rates(before, diffs(), started));
        mark("attack-end");
        closeAttackers();

        long newcomer = System.nanoTime();
        AlloClientHost late = AlloClientHost.start(new EnetTransport(EnetSettings.loopbackClient()));
        honestHosts.add(late);
        try {
            AlloClient joiner = Waits.await("a newcomer connects", Duration.ofSeconds(20),
                    late.connect(place, ClientOptions.defaults("newcomer").withoutMirror()));
            Waits.await("the newcomer's announce", Duration.ofSeconds(20), joiner.announce());
            figures.put("newcomer_join_ms", Math.round((System.nanoTime() - newcomer) / 1e6));
            joiner.disconnect();
        } catch (Exception e) {
            figures.put("newcomer_join_ms", null);
            figures.put("newcomer_error", String.valueOf(e));
        }
        Waits.wallClock(Duration.ofSeconds(Long.getLong("after.seconds", 60)), "the minute after the attack");
        figures.put("honest_all_connected", honest.stream().noneMatch(c -> c.disconnected().isDone()));
        mark("after");
        System.out.println("result " + ProtocolJson.mapper().writeValueAsString(figures));
        System.out.flush();
    }

    private static void mark(String phase) {
        System.out.println("mark " + phase);
        System.out.flush();
    }

    private long[] diffs() throws Exception {
        long[] counts = new long[honest.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Waits.await("honest-" + i + "'s diff counters", honest.get(i).diffCounters())[0];
        }
        return counts;
    }

    private static Map<String, Object> rates(long[] before, long[] after, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double slowest = Double.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < before.length; i++) {
            double rate = (after[i] - before[i]) / seconds;
            slowest = Math.min(slowest, rate);
            sum += rate;
        }
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("seconds", Math.round(seconds * 100) / 100.0);
        window.put("diffs_per_s_min", Math.round(slowest * 100) / 100.0);
        window.put("diffs_per_s_mean", Math.round(sum / before.length * 100) / 100.0);
        return window;
    }

    private AlloClient attacker(String name) throws Exception {
        if (attackerHost == null) {
            attackerHost = AlloClientHost.start(new EnetTransport(
                    EnetSettings.loopbackClient().toBuilder().maxPeers(64).build()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                AlloClient client = Waits.await(name + " connects", Duration.ofSeconds(20), attackerHost.connect(place,
                        ClientOptions.defaults(name + "-" + attackerNames++).withoutMirror()
                                .withRequestTimeout(Duration.ofSeconds(60))));
                Waits.await(name + "'s announce", Duration.ofSeconds(20), client.announce());
                return client;
            } catch (java.util.concurrent.ExecutionException e) {
                // A retransmitted DISCONNECT of the attacker dropped a moment ago can reach the new
                // connection in its slot while it is still connecting (as in C ENet, whose session
                // check starts only with VERIFY_CONNECT): it reads as a refusal. Try again.
                if (!(e.getCause() instanceof dev.alloplace.transport.ConnectRefusedException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void closeAttackers() {
        for (AutoCloseable closeable : attackers) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already gone
            }
        }
        attackers.clear();
        if (attackerHost != null) {
            attackerHost.close();
            attackerHost = null;
        }
    }

    private boolean running(long end) {
        return System.nanoTime() < end;
    }

    private long end() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(attackMillis);
    }

    /** Sets the attack up (connections, subscriptions) and returns what runs during the attack window. */
    private Runnable prepare() throws Exception {
        return switch (attack) {
            case "fragments" -> this::fragmentLies;
            case "assets" -> assetLies();
            case "ssrf" -> ssrf();
            case "heavy" -> this::heavyComponents;
            case "publications" -> costlyPublications();
            case "slots" -> this::slotFlood;
            case "csrf" -> this::csrf;
            case "spawn" -> this::spawnBurst;
            default -> throw new IllegalArgumentException("unknown attack " + attack);
        };
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable unchecked(Body body) {
        return () -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** #1: from 3 addresses, every second, as many connections as the place takes, each sending one 44-byte fragment claiming 32 MiB. */
    private void fragmentLies() {
        unchecked(() -> {
            List<RawEnetPeer> peers = new ArrayList<>();
            for (int host = 2; host <= 4; host++) {
                RawEnetPeer peer = new RawEnetPeer(host, place);
                peers.add(peer);
                attackers.add(peer);
            }
            Set<Integer> lied = new HashSet<>();
            long end = end();
            int nextId = 1;
            while (running(end)) {
                for (RawEnetPeer peer : peers) {
                    for (RawEnetPeer.Connection connection : peer.handshakes(nextId, 16, 300).values()) {
                        if (lied.add(connection.connectId())) {
                            peer.fragment(connection, 1, 1, 32 * 1024, 0, 32 * MIB, 0, new byte[16]);
                        }
                    }
                    nextId += 16;
                }
            }
            figures.put("lies", lied.size());
            figures.put("refusals", peers.stream().mapToInt(RawEnetPeer::refusals).sum());
        }).run();
    }

    /** #2: four agents answer every asset request with a 16-byte chunk claiming 256 MiB; a fifth asks for 4 unknown assets a second. */
    private Runnable assetLies() throws Exception {
        AtomicLong lies = new AtomicLong();
        for (int i = 0; i < 4; i++) {
            AlloClient liar = attacker("liar");
            liar.onAsset(frame -> {
                if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok
                        && ok.message() instanceof AssetMessage.Request request && request.offset() == 0) {
                    lies.incrementAndGet();
                    liar.sendAsset(new AssetMessage.Data(request.id(), 0, 256L * MIB, new byte[16]).encode());
                }
            });
        }
        AlloClient requester = attacker("requester");
        return unchecked(() -> {
            Random random = new Random(17);
            long end = end();
            int asked = 0;
            while (running(end)) {
                byte[] never = new byte[64];
                random.nextBytes(never);
                AssetPeer.download(requester, AssetId.of(never), null);
                asked++;
                Waits.wallClock(Duration.ofMillis(250), "the attack's rate: 4 lying uploads a second");
            }
            figures.put("assets_asked", asked);
            figures.put("lies", lies.get());
        });
    }

    /** #3: a gateway the operator allowed answers every launch with 200 MB; two agents launch one after another. */
    private Runnable ssrf() throws Exception {
        AtomicLong written = new AtomicLong();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", gatewayPort), 0);
        ExecutorService threads = Executors.newCachedThreadPool();
        gateway.setExecutor(threads);
        gateway.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            long answer = 200L * MIB;
            exchange.sendResponseHeaders(200, answer);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < answer; sent += chunk.length) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the place hung up, as it should
            }
        });
        gateway.start();
        attackers.add(() -> {
            gateway.stop(0);
            threads.shutdownNow();
        });
        List<AlloClient> launchers = List.of(attacker("launcher"), attacker("launcher"));
        return unchecked(() -> {
            long end = end();
            AtomicLong answers = new AtomicLong();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (AlloClient launcher : launchers) {
                loops.add(CompletableFuture.runAsync(() -> {
                    while (running(end)) {
                        ArrayNode body = Interaction.body("launch_app", "alloapp:http://127.0.0.1:" + gatewayPort + "/app",
                                F.objectNode());
                        String answer = launcher.request("place", body).join().toString();
                        answers.incrementAndGet();
                        figures.putIfAbsent("ssrf_answer", answer);
                    }
                }));
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(attackMillis + 60_000, TimeUnit.MILLISECONDS);
            figures.put("launches_answered", answers.get());
            figures.put("gateway_wrote_mb", written.get() / MIB);
        });
    }

    /** #4: entities of 4 x 200 KB components, 10 a second (a flooder, reconnecting when dropped), and a patient builder filling the budgets. */
    private void heavyComponents() {
        unchecked(() -> {
            ObjectNode huge = F.objectNode();
            for (int c = 0; c < 4; c++) {
                huge.putObject("blob" + c).put("data", "x".repeat(200_000));
            }
            long end = end();
            AlloClient builder = attacker("builder");
            AtomicLong built = new AtomicLong();
            CompletableFuture<String> patient = CompletableFuture.supplyAsync(() -> {
                while (running(end)) {
                    ArrayNode answer = builder.request("place", Interaction.body("spawn_entity", huge)).join();
                    if ("error".equals(answer.path(1).asText())) {
                        return answer.path(2).asText();
                    }
                    built.incrementAndGet();
                }
                return "never refused";
            });
            List<Integer> drops = new ArrayList<>();
            int sent = 0;
            while (running(end)) {
                AlloClient flooder = attacker("flooder");
                byte[] spawn = new Interaction(InteractionType.REQUEST, flooder.avatarId(), "place", "huge",
                        Interaction.body("spawn_entity", huge)).encode();
                while (running(end) && !flooder.disconnected().isDone()) {
                    flooder.sendCommand(spawn);
                    sent++;
                    Waits.wallClock(Duration.ofMillis(100), "the flood's rate: 8 MB a second");
                }
                if (flooder.disconnected().isDone()) {
                    drops.add(flooder.disconnected().get().data());
                }
            }
            figures.put("spawns_sent", sent);
            figures.put("flooders_dropped", drops);
            figures.put("patient_built", built.get());
            figures.put("patient_refusal", patient.get(60, TimeUnit.SECONDS));
        }).run();
    }

    /** #5: ten agents x 32 subscriptions {@code [A | T] where length(T) > 0 and A in T}; one publishes a 20,000-element list 200 times a second. */
    private Runnable costlyPublications() throws Exception {
        AlloClient first = null;
        for (int i = 0; i < 10; i++) {
            AlloClient subscriber = attacker("subscriber");
            List<CompletableFuture<ArrayNode>> subscribed = new ArrayList<>();
            for (int k = 0; k < 32; k++) {
                subscribed.add(subscriber.request("place",
                        Interaction.body("subscribe", "[A | T] where length(T) > 0 and A in T")));
            }
            for (CompletableFuture<ArrayNode> answer : subscribed) {
                Waits.await("a subscription is answered", Duration.ofSeconds(20), answer);
            }
            first = first == null ? subscriber : first;
        }
        AlloClient publisherAtStart = first;
        ArrayNode list = F.arrayNode().add("needle");
        for (int i = 0; i < 20_000; i++) {
            list.add(i);
        }
        return unchecked(() -> {
            AlloClient publisher = publisherAtStart;
            long end = end();
            int sent = 0;
            List<Integer> drops = new ArrayList<>();
            while (running(end)) {
                byte[] publication = new Interaction(InteractionType.PUBLICATION, publisher.avatarId(), "", "", list).encode();
                while (running(end) && !publisher.disconnected().isDone()) {
                    publisher.sendCommand(publication);
                    sent++;
                    Waits.wallClock(Duration.ofMillis(5), "the attack's rate: 200 costly publications a second");
                }
                if (publisher.disconnected().isDone()) {
                    drops.add(publisher.disconnected().get().data());
                    publisher = attacker("publisher");
                }
            }
            figures.put("publications_sent", sent);
            figures.put("publishers_dropped", drops);
        });
    }

    /** #6: two addresses open 64 connections every 250 ms, complete every handshake the place takes, and never announce. */
    private void slotFlood() {
        unchecked(() -> {
            List<RawEnetPeer> peers = List.of(new RawEnetPeer(2, place), new RawEnetPeer(3, place));
            attackers.addAll(peers);
            long end = end();
            int nextId = 1;
            while (running(end)) {
                for (RawEnetPeer peer : peers) {
                    for (int i = 0; i < 64; i++) {
                        peer.connect(nextId++);
                    }
                }
                for (RawEnetPeer peer : peers) {
                    peer.answer(125);
                }
            }
            figures.put("connects_sent", nextId - 1);
            int completed = 0;
            for (RawEnetPeer peer : peers) {
                completed += peer.answer(0).size();
            }
            figures.put("completed", completed);
            figures.put("refusals", peers.stream().mapToInt(RawEnetPeer::refusals).sum());
        }).run();
    }

    /** #7: forged POSTs to the admin API (a foreign Host or Origin, text/plain) trying to put {@code deny _} first and kick. */
    private void csrf() {
        unchecked(() -> {
            String own = "127.0.0.1:" + admin.getPort();
            Map<String, String> plain = Map.of("Host", own);
            String rulesBefore = RawHttp.send(admin, "GET", "/api/acl", plain, null).body();
            String body = "{\"effect\":\"deny\",\"guard\":\"_\",\"position\":0}";
            String[][] forgeries = {
                {"evil.example:" + admin.getPort(), "http://evil.example", "text/plain"},
                {own, null, "text/plain"},
                {own, "http://evil.example", "application/json"},
                {"rebind.evil.example:" + admin.getPort(), null, "application/json"},
            };
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            long end = end();
            int sent = 0;
            while (running(end)) {
                String[] forged = forgeries[sent++ % forgeries.length];
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Host", forged[0]);
                if (forged[1] != null) {
                    headers.put("Origin", forged[1]);
                }
                headers.put("Content-Type", forged[2]);
                int status = RawHttp.send(admin, "POST", "/api/acl", headers, body).status();
                statuses.merge(status, 1, Integer::sum);
            }
            figures.put("forged_requests", sent);
            figures.put("statuses", statuses);
            figures.put("acl_unchanged", rulesBefore.equals(RawHttp.send(admin, "GET", "/api/acl", plain, null).body()));
        }).run();
    }

    /** The honest burst: an app sends 10,000 spawn_entity requests at once and waits for every answer. */
    private void spawnBurst() {
        unchecked(() -> {
            AlloClient app = attacker("scene-builder");
            long started = System.nanoTime();
            List<CompletableFuture<ArrayNode>> answers = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                ObjectNode spec = F.objectNode();
                spec.putObject("text").put("string", "block " + i);
                answers.add(app.request("place", Interaction.body("spawn_entity", spec)));
            }
            int refused = 0;
            for (CompletableFuture<ArrayNode> answer : answers) {
                ArrayNode body = Waits.await("a spawn is answered", Duration.ofSeconds(90), answer);
                if (body.size() != 2) {
                    refused++;
                }
            }
            figures.put("spawned", 10_000 - refused);
            figures.put("refused", refused);
            figures.put("burst_seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        }).run();
    }
}
