package dev.alloplace.fleet;

import dev.alloplace.place.Place;
import dev.alloplace.place.PlaceExtension;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A place as an Agones GameServer, through the SDK sidecar's REST API:
 * <ul>
 * <li>{@code Ready} once the place listens and its loop ticks, retried until the sidecar answers
 *     (it may start after the server);</li>
 * <li>{@code Health} every {@code fleet.health_interval_ms}, only while the place says it keeps up
 *     (a wedged loop stops pinging and Agones replaces the GameServer);</li>
 * <li>labels {@code protocol-<v>} and {@code place}, and the annotation {@code place-name};</li>
 * <li>announced agents in a List (their ids) or a Counter (their number);</li>
 * <li>the GameServer watched, so an allocation's metadata can name the place
 *     ({@link PlaceAssignment});</li>
 * <li>{@code Shutdown} when the server stops, and when an allocated place has stayed empty for
 *     the configured time.</li>
 * </ul>
 * All of its state belongs to one thread of its own ({@code alloplace-agones}); HTTP runs on the
 * client's threads and hands every answer back to it. The place thread only records who came and
 * went in the {@link PlayerRoster} and never waits for any of this.
 */
final class AgonesFleet implements Fleet {

    private static final Logger log = LoggerFactory.getLogger(AgonesFleet.class);
    /** How long stopping waits for the sidecar to take the Shutdown, within the daemon's budget. */
    private static final Duration STOP_BUDGET = Duration.ofMillis(500);
    private static final long READINESS_POLL_MILLIS = 20;
    private static final int SHUTDOWN_ATTEMPTS = 5;

    private final AgonesSettings settings;
    private final String configuredName;
    private final LongSupplier nanoClock = System::nanoTime;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            daemon("alloplace-agones"));
    /** Runs on the fleet's thread, or not at all once it has stopped. */
    private final Executor onLoop = task -> {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // Stopped: what would have run is moot.
        }
    };
    private final PlayerRoster roster = new PlayerRoster(() -> onLoop.execute(this::syncPlayers), nanoClock);
    private final Backoff readyRetry;
    private final Backoff metadataRetry;
    private final Backoff playersRetry;
    private final Backoff watchRetry;
    private final Backoff shutdownRetry;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile ExecutorService httpThreads;

    // Everything below is owned by the fleet's thread.
    private AgonesSdk sdk;
    private Place place;
    private boolean stopped;
    private boolean shutdownRequested;
    private boolean healthInFlight;
    private boolean lastHealthy = true;
    private long allocatedAtNanos = -1;
    private String placeName;
    /** Where players reach the place, from the GameServer's status; read by the app launcher. */
    private volatile Optional<InetSocketAddress> publicAddress = Optional.empty();
    private Duration emptyShutdown;
    private List<String> lastIgnored = List.of();
    private final Map<String, String> labelsWanted = new LinkedHashMap<>();
    private final Map<String, String> labelsSet = new HashMap<>();
    private final Map<String, String> annotationsWanted = new LinkedHashMap<>();
    private final Map<String, String> annotationsSet = new HashMap<>();
    private boolean metadataInFlight;
    private final Set<String> playersReported = new HashSet<>();
    /** Values the sidecar refused for good (the List is full or missing); retried once they leave. */
    private final Set<String> playersRefused = new HashSet<>();
    private long countReported = -1;
    private boolean playersInFlight;
    private AgonesSdk.Watch watch;
    /** Counts watches opened, so answers meant for an earlier one are known as such. */
    private int watchGeneration;
    /** Whether the current watch has said anything yet; until then a GET's answer is the news. */
    private boolean watchHeard;

    AgonesFleet(AgonesSettings settings, String configuredName) {
        this.settings = settings;
        this.configuredName = configuredName;
        this.placeName = configuredName;
        this.emptyShutdown = settings.emptyShutdown();
        this.readyRetry = retry();
        this.metadataRetry = retry();
        this.playersRetry = retry();
        this.watchRetry = retry();
        this.shutdownRetry = retry();
        labelsWanted.putAll(PlaceLabels.of(configuredName));
        annotationsWanted.put("place-name", configuredName);
    }

    private Backoff retry() {
        return new Backoff(settings.retryInitial(), settings.retryMax());
    }

    @Override
    public List<PlaceExtension> extensions() {
        return List.of(roster);
    }

    @Override
    public void start(Place started) {
        httpThreads = Executors.newFixedThreadPool(2, daemon("alloplace-agones-http"));
        AgonesSdk client = new AgonesSdk(settings.sdkBase(), settings.requestTimeout(), httpThreads);
        onLoop.execute(() -> {
            this.sdk = client;
            this.place = started;
            log.info("Agones SDK at {}: Ready once the place ticks, Health every {} ms, players as {} \"{}\"",
                    settings.sdkBase(), settings.healthInterval().toMillis(),
                    settings.players().name().toLowerCase(Locale.ROOT), settings.playersKey());
            awaitReadiness();
            watchGameServer();
            syncMetadata();
            syncPlayers();
            long interval = settings.healthInterval().toMillis();
            loop.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> told = new CompletableFuture<>();
        onLoop.execute(() -> {
            if (sdk == null || shutdownRequested) {
                told.complete(null);
                return;
            }
            shutdownRequested = true;
            sdk.shutdown().whenComplete((reply, error) -> {
                if (reply != null && reply.ok()) {
                    log.info("told Agones the place is shutting down");
                } else {
                    log.warn("Agones Shutdown on stop failed: {}", describe(reply, error));
                }
                told.complete(null);
            });
        });
        try {
            told.get(STOP_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the Agones sidecar did not take the Shutdown within {} ms", STOP_BUDGET.toMillis());
        } catch (Exception e) {
            log.warn("Agones Shutdown on stop: {}", e.toString());
        }
        CompletableFuture<Void> halted = new CompletableFuture<>();
        onLoop.execute(() -> {
            stopped = true;
            if (watch != null) {
                watch.cancel();
            }
            halted.complete(null);
        });
        try {
            halted.get(STOP_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.debug("the Agones thread did not halt in time: {}", e.toString());
        }
        loop.shutdownNow();
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void awaitReadiness() {
        if (stopped) {
            return;
        }
        if (healthy()) {
            sendReady();
        } else {
            loop.schedule(this::awaitReadiness, READINESS_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The place's own word on whether it keeps up (what {@code /readyz} answers). */
    private boolean healthy() {
        return place.health().ready();
    }

    private void sendReady() {
        answered(sdk.ready(), (reply, error) -> {
            if (reply != null && reply.ok()) {
                readyRetry.succeeded();
                log.info("told Agones the place is Ready");
            } else {
                retryLater(readyRetry, this::sendReady, "Ready", reply, error);
            }
        });
    }

    /** Every health interval: a Health ping if the place keeps up, and the empty-place timer. */
    private void tick() {
        if (stopped) {
            return;
        }
        checkEmpty();
        if (shutdownRequested) {
            return;
        }
        boolean ok = healthy();
        if (ok != lastHealthy) {
            lastHealthy = ok;
            if (ok) {
                log.info("the place keeps up again; Agones Health pings resume");
            } else {
                log.warn("the place is not keeping up; Agones Health pings are withheld until it does");
            }
        }
        if (!ok || healthInFlight) {
            return;
        }
        healthInFlight = true;
        answered(sdk.health(), (reply, error) -> {
            healthInFlight = false;
            if (reply == null || !reply.ok()) {
                log.debug("Agones Health ping failed: {}", describe(reply, error));
            }
        });
    }

    private void checkEmpty() {
        if (allocatedAtNanos < 0 || shutdownRequested || emptyShutdown.isZero() || !roster.isEmpty()) {
            return;
        }
        long since = Math.max(roster.lastDepartureNanos(), allocatedAtNanos);
        if (nanoClock.getAsLong() - since >= emptyShutdown.toNanos()) {
            log.info("the allocated place has been empty for {} ms; asking Agones to shut it down",
                    emptyShutdown.toMillis());
            shutdownRequested = true;
            sendShutdown();
        }
    }

    private void sendShutdown() {
        answered(sdk.shutdown(), (reply, error) -> {
            if (reply != null && reply.ok()) {
                log.info("told Agones the place is shutting down");
            } else if (shutdownRetry.failures() + 1 < SHUTDOWN_ATTEMPTS) {
                retryLater(shutdownRetry, this::sendShutdown, "Shutdown", reply, error);
            } else {
                log.warn("Agones Shutdown failed {} times; giving up: {}", SHUTDOWN_ATTEMPTS, describe(reply, error));
            }
        });
    }

    // ------------------------------------------------------------------ the GameServer

    private void watchGameServer() {
        if (stopped) {
            return;
        }
        watchHeard = false;
        int generation = ++watchGeneration;
        AgonesSdk.Watch current = sdk.watch(line -> GameServerView.fromWatchLine(line)
                .ifPresent(view -> onLoop.execute(() -> {
                    if (generation == watchGeneration) {
                        watchHeard = true;
                        observed(view);
                    }
                })));
        watch = current;
        // Recent SDK servers start the stream with the GameServer as it is; older ones only tell
        // of changes, so a plain GET fills in, unless the stream (newer news) spoke first.
        answered(sdk.gameServer(), (reply, error) -> {
            if (reply != null && reply.ok() && generation == watchGeneration && !watchHeard) {
                GameServerView.fromGameServer(reply.body()).ifPresent(this::observed);
            }
        });
        current.done().whenCompleteAsync((ended, error) -> {
            if (stopped || generation != watchGeneration) {
                return;
            }
            retryLater(watchRetry, this::watchGameServer, "watch of the GameServer", null,
                    error == null ? new IllegalStateException("the stream ended") : error);
        }, onLoop);
    }

    private void observed(GameServerView gameServer) {
        if (stopped) {
            return;
        }
        watchRetry.succeeded();
        if (gameServer.allocated() && allocatedAtNanos < 0) {
            allocatedAtNanos = nanoClock.getAsLong();
            log.info("allocated by Agones (GameServer {})", gameServer.name());
        }
        Optional<InetSocketAddress> address = gameServer.publicAddress();
        if (address.isPresent() && !address.equals(publicAddress)) {
            publicAddress = address;
            log.info("Agones says players reach the place at {}:{}", address.get().getHostString(), address.get().getPort());
        }
        PlaceAssignment assignment = PlaceAssignment.of(gameServer);
        if (!assignment.ignored().equals(lastIgnored)) {
            lastIgnored = assignment.ignored();
            if (!lastIgnored.isEmpty()) {
                log.warn("ignoring GameServer metadata that does not fit: {}", String.join(", ", lastIgnored));
            }
        }
        Duration shutdownAfter = assignment.emptyShutdown().orElse(settings.emptyShutdown());
        if (!shutdownAfter.equals(emptyShutdown)) {
            emptyShutdown = shutdownAfter;
            log.info("an empty allocated place now shuts down after {} ms (0: never)", shutdownAfter.toMillis());
        }
        String name = assignment.name().orElse(configuredName);
        if (!name.equals(placeName)) {
            placeName = name;
            log.info("the GameServer's metadata names the place \"{}\"", name);
            rename(name);
        }
    }

    @Override
    public Optional<InetSocketAddress> publicAddress() {
        return publicAddress;
    }

    /**
     * Renames the place on its thread, then shows the name to Agones: whoever finds the place by
     * its new label is answered with the new name.
     */
    private void rename(String name) {
        place.call(context -> {
            context.rename(name);
            return null;
        }).whenCompleteAsync((done, error) -> {
            if (error != null) {
                log.warn("the place could not be renamed \"{}\": {}", name, error.toString());
                return;
            }
            labelsWanted.put("place", PlaceLabels.labelValue(name));
            annotationsWanted.put("place-name", name);
            syncMetadata();
        }, onLoop);
    }

    private void syncMetadata() {
        if (stopped || sdk == null || metadataInFlight) {
            return;
        }
        boolean label = true;
        Map.Entry<String, String> next = firstDifference(labelsWanted, labelsSet);
        if (next == null) {
            label = false;
            next = firstDifference(annotationsWanted, annotationsSet);
        }
        if (next == null) {
            return;
        }
        String key = next.getKey();
        String value = next.getValue();
        Map<String, String> set = label ? labelsSet : annotationsSet;
        String what = (label ? "label " : "annotation ") + key;
        metadataInFlight = true;
        answered(label ? sdk.setLabel(key, value) : sdk.setAnnotation(key, value), (reply, error) -> {
            if (reply != null && (reply.ok() || reply.refused())) {
                metadataInFlight = false;
                if (!reply.ok()) {
                    log.warn("Agones refused {}={}: {}", what, value, describe(reply, null));
                }
                metadataRetry.succeeded();
                set.put(key, value);
                syncMetadata();
            } else {
                retryLater(metadataRetry, () -> {
                    metadataInFlight = false;
                    syncMetadata();
                }, "set " + what, reply, error);
            }
        });
    }

    private static Map.Entry<String, String> firstDifference(Map<String, String> wanted, Map<String, String> set) {
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            if (!entry.getValue().equals(set.get(entry.getKey()))) {
                return entry;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ players

    /** Brings what Agones was told in line with the roster, one call at a time. */
    private void syncPlayers() {
        if (stopped || sdk == null || playersInFlight) {
            return;
        }
        switch (settings.players()) {
            case LIST -> syncList();
            case COUNTER -> syncCounter();
            case NONE -> {
            }
        }
    }

    private void syncList() {
        Set<String> present = new HashSet<>(roster.snapshot());
        playersRefused.retainAll(present);
        String gone = null;
        for (String id : playersReported) {
            if (!present.contains(id)) {
                gone = id;
                break;
            }
        }
        String key = settings.playersKey();
        if (gone != null) {
            String id = gone;
            playersInFlight = true;
            answered(sdk.removeListValue(key, id), (reply, error) -> {
                // 404: not in the List (any more), which is what was asked.
                if (reply != null && (reply.ok() || reply.status() == 404)) {
                    playersInFlight = false;
                    playersRetry.succeeded();
                    playersReported.remove(id);
                    syncPlayers();
                } else {
                    retryPlayersLater("remove a player from List " + key, reply, error);
                }
            });
            return;
        }
        for (String id : present) {
            if (playersReported.contains(id) || playersRefused.contains(id)) {
                continue;
            }
            playersInFlight = true;
            answered(sdk.addListValue(key, id), (reply, error) -> {
                // 409: already in the List (an earlier attempt got there), which is what was asked.
                if (reply != null && (reply.ok() || reply.status() == 409)) {
                    playersInFlight = false;
                    playersRetry.succeeded();
                    playersReported.add(id);
                    syncPlayers();
                } else if (reply != null && reply.refused()) {
                    playersInFlight = false;
                    log.warn("Agones refused agent {} in List {} (full, or not declared in the GameServer spec?): {}",
                            id, key, describe(reply, null));
                    playersRefused.add(id);
                    syncPlayers();
                } else {
                    retryPlayersLater("add a player to List " + key, reply, error);
                }
            });
            return;
        }
    }

    private void syncCounter() {
        long count = roster.snapshot().size();
        if (count == countReported) {
            return;
        }
        String key = settings.playersKey();
        playersInFlight = true;
        answered(sdk.setCounter(key, count), (reply, error) -> {
            if (reply != null && (reply.ok() || reply.refused())) {
                playersInFlight = false;
                if (!reply.ok()) {
                    log.warn("Agones refused Counter {}={} (over its capacity, or not declared?): {}", key, count,
                            describe(reply, null));
                }
                playersRetry.succeeded();
                countReported = count;
                syncPlayers();
            } else {
                retryPlayersLater("set Counter " + key, reply, error);
            }
        });
    }

    /** Changes meanwhile wait for the retry too (they are in the roster; the retry sends what is due then). */
    private void retryPlayersLater(String what, AgonesSdk.Reply reply, Throwable error) {
        retryLater(playersRetry, () -> {
            playersInFlight = false;
            syncPlayers();
        }, what, reply, error);
    }

    // ------------------------------------------------------------------ plumbing

    /** Runs {@code then} on the fleet's thread with the call's answer or its failure. */
    private void answered(CompletableFuture<AgonesSdk.Reply> call, BiConsumer<AgonesSdk.Reply, Throwable> then) {
        call.whenCompleteAsync((reply, error) -> {
            if (!stopped) {
                then.accept(reply, error);
            }
        }, onLoop);
    }

    private void retryLater(Backoff backoff, Runnable again, String what, AgonesSdk.Reply reply, Throwable error) {
        long wait = backoff.failed();
        if (backoff.failures() == 1) {
            log.info("Agones {} did not go through ({}); retrying with backoff up to {} ms", what,
                    describe(reply, error), settings.retryMax().toMillis());
        } else {
            log.debug("Agones {} failed again ({}); next try in {} ms", what, describe(reply, error), wait);
        }
        loop.schedule(again, wait, TimeUnit.MILLISECONDS);
    }

    private static String describe(AgonesSdk.Reply reply, Throwable error) {
        if (reply != null) {
            String body = reply.body() == null ? "" : reply.body().strip();
            return "HTTP " + reply.status() + (body.isEmpty() ? "" : " " + body.substring(0, Math.min(200, body.length())));
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause == null ? "no answer" : cause.toString();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
