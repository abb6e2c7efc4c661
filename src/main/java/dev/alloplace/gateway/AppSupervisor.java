package dev.alloplace.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.config.Config;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts app processes and keeps them within their limits: how many run (in all and per app),
 * how long each may run, and that none outlives the gateway (SIGTERM, a grace period, then
 * SIGKILL, for the process and whatever it started). Its one thread owns the table of running
 * processes; HTTP threads and process exits reach it through that thread.
 */
public final class AppSupervisor {

    private static final Logger log = LoggerFactory.getLogger(AppSupervisor.class);
    private static final Logger appLog = LoggerFactory.getLogger("dev.alloplace.gateway.app");

    /**
     * @param maxProcesses processes running at once, all apps together
     * @param startCheck how long a new process must keep running before its launch counts as started
     * @param grace time between SIGTERM and SIGKILL
     * @param maxLogLineBytes longest output line logged whole
     */
    public record Limits(int maxProcesses, Duration startCheck, Duration grace, int maxLogLineBytes) {

        /** The process limits of the gateway's {@code config}. */
        public static Limits from(Config config) {
            return new Limits(config.get(GatewaySettings.MAX_PROCESSES),
                    Duration.ofMillis(config.get(GatewaySettings.START_CHECK_MS)),
                    Duration.ofMillis(config.get(GatewaySettings.SHUTDOWN_GRACE_MS)),
                    config.get(GatewaySettings.MAX_LOG_LINE_BYTES));
        }
    }

    /** How a launch went: started with a pid, or refused with an HTTP status and a reason. */
    public sealed interface Outcome {
        record Started(String app, long pid) implements Outcome {
        }

        record Refused(int status, String error) implements Outcome {
        }
    }

    /** A running app as {@code GET /apps} shows it. */
    public record RunningApp(String app, long pid, Instant startedAt, String placeUrl, ObjectNode launchedBy) {
    }

    private final Limits limits;
    private final Map<String, String> gatewayEnvironment;
    private final MeterRegistry meters;
    private final ScheduledThreadPoolExecutor owner = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "alloplace-gateway-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, Running> running = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> runningPerApp = new ConcurrentHashMap<>();
    private final AtomicInteger runningTotal = new AtomicInteger();
    private boolean stopping;

    public AppSupervisor(Limits limits, Map<String, String> gatewayEnvironment, MeterRegistry meters, Set<String> apps) {
        this.limits = limits;
        this.gatewayEnvironment = Map.copyOf(gatewayEnvironment);
        this.meters = meters;
        owner.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Gauge.builder("alloplace.gateway.processes", runningTotal, AtomicInteger::get)
                .description("app processes running").register(meters);
        for (String app : apps) {
            AtomicInteger count = runningPerApp.computeIfAbsent(app, name -> new AtomicInteger());
            Gauge.builder("alloplace.gateway.app.processes", count, AtomicInteger::get).tag("app", app)
                    .description("processes of one app running").register(meters);
        }
    }

    /** One started process and what the supervisor knows of it; touched on the owner thread only. */
    private static final class Running {
        final AppSpec spec;
        final Process process;
        final RunningApp view;
        final Set<ProcessHandle> family = ConcurrentHashMap.newKeySet();
        final long startedNanos = System.nanoTime();
        /** Completes once the supervisor has logged the exit and forgotten the process. */
        final CompletableFuture<Void> recorded = new CompletableFuture<>();

        Running(AppSpec spec, Process process, RunningApp view) {
            this.spec = spec;
            this.process = process;
            this.view = view;
        }

        String label() {
            return spec.name() + "[" + process.pid() + "]";
        }

        /** SIGTERM to the process and to what it started (remembered, as they outlive their parent). */
        void terminate() {
            process.descendants().forEach(family::add);
            family.forEach(ProcessHandle::destroy);
            process.destroy();
        }

        void kill() {
            process.descendants().forEach(family::add);
            family.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        boolean alive() {
            return process.isAlive() || family.stream().anyMatch(ProcessHandle::isAlive);
        }

        CompletableFuture<?> gone() {
            List<CompletableFuture<?>> exits = new ArrayList<>();
            exits.add(process.onExit());
            family.forEach(handle -> exits.add(handle.onExit()));
            return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
        }
    }

    public CompletableFuture<Outcome> launch(AppSpec spec, LaunchRequest request) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        owner.execute(() -> {
            try {
                start(spec, request, outcome);
            } catch (RuntimeException e) {
                log.warn("launching {} failed", spec.name(), e);
                refuse(spec.name(), outcome, new Outcome.Refused(500, "cannot start " + spec.name() + ": internal error"), "failed");
            }
        });
        return outcome;
    }

    private void start(AppSpec spec, LaunchRequest request, CompletableFuture<Outcome> outcome) {
        if (stopping) {
            refuse(spec.name(), outcome, new Outcome.Refused(503, "the gateway is shutting down"), "refused");
            return;
        }
        if (running.size() >= limits.maxProcesses()) {
            refuse(spec.name(), outcome, new Outcome.Refused(503, "the gateway already runs " + running.size()
                    + " app processes, its limit (gateway.max_processes)"), "refused");
            return;
        }
        long ofThisApp = running.values().stream().filter(r -> r.spec.name().equals(spec.name())).count();
        if (ofThisApp >= spec.maxInstances()) {
            refuse(spec.name(), outcome, new Outcome.Refused(503, spec.name() + " already runs " + ofThisApp
                    + " times, its limit (max_instances)"), "refused");
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        spec.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().clear();
        builder.environment().putAll(AppEnvironment.of(gatewayEnvironment, spec, request));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            log.warn("cannot start {} ({}): {}", spec.name(), spec.command(), e.getMessage());
            refuse(spec.name(), outcome, new Outcome.Refused(500, "cannot start " + spec.name() + ": " + e.getMessage()), "failed");
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("closing the stdin of {}: {}", spec.name(), e.toString());
        }
        Running app = new Running(spec, process, new RunningApp(spec.name(), process.pid(), Instant.now(),
                request.placeUrl(), request.launchedBy()));
        running.put(process.pid(), app);
        runningTotal.incrementAndGet();
        runningPerApp.computeIfAbsent(spec.name(), name -> new AtomicInteger()).incrementAndGet();
        log.info("started {} for {} in {} (launched by {})", app.label(), request.placeUrl(),
                spec.workingDirectory().map(Object::toString).orElse("the gateway's directory"), request.launchedBy());
        OutputPump.start(process.getInputStream(), appLog, app.label() + " out |", limits.maxLogLineBytes(),
                "app-" + app.label() + "-out");
        OutputPump.start(process.getErrorStream(), appLog, app.label() + " err |", limits.maxLogLineBytes(),
                "app-" + app.label() + "-err");
        process.onExit().thenRun(() -> owner.execute(() -> exited(app)));
        if (!spec.maxRunTime().isZero()) {
            owner.schedule(() -> overtime(app), spec.maxRunTime().toMillis(), TimeUnit.MILLISECONDS);
        }
        owner.schedule(() -> checkStarted(app, outcome), limits.startCheck().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkStarted(Running app, CompletableFuture<Outcome> outcome) {
        if (app.process.isAlive()) {
            count(app.spec.name(), "started");
            outcome.complete(new Outcome.Started(app.spec.name(), app.process.pid()));
            return;
        }
        count(app.spec.name(), "exited_at_once");
        outcome.complete(new Outcome.Refused(502, app.spec.name() + " exited at once (exit code "
                + app.process.exitValue() + ")"));
    }

    private void exited(Running app) {
        if (running.remove(app.process.pid(), app)) {
            runningTotal.decrementAndGet();
            runningPerApp.get(app.spec.name()).decrementAndGet();
        }
        int code = app.process.exitValue();
        double seconds = (System.nanoTime() - app.startedNanos) / 1e9;
        if (code == 0 || stopping) {
            log.info("{} exited with code {} after {} s", app.label(), code, String.format(Locale.ROOT, "%.1f", seconds));
        } else {
            log.warn("{} exited with code {} after {} s", app.label(), code, String.format(Locale.ROOT, "%.1f", seconds));
        }
        Counter.builder("alloplace.gateway.exits").tag("app", app.spec.name()).description("app processes that ended")
                .register(meters).increment();
        // What the app started may still run; it was part of the app.
        app.family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        app.recorded.complete(null);
    }

    private void overtime(Running app) {
        if (!app.process.isAlive()) {
            return;
        }
        log.info("{} reached its maximum run time of {} s; stopping it", app.label(), app.spec.maxRunTime().toSeconds());
        app.terminate();
        owner.schedule(() -> {
            if (app.alive()) {
                log.warn("{} did not stop within {} ms of SIGTERM; killing it", app.label(), limits.grace().toMillis());
                app.kill();
            }
        }, limits.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refuse(String app, CompletableFuture<Outcome> outcome, Outcome.Refused refused, String kind) {
        log.info("launch of {} refused: {}", app, refused.error());
        count(app, kind);
        outcome.complete(refused);
    }

    /** Counts a launch; {@code app} is a catalog name (unknown names are counted by the caller as one tag). */
    void count(String app, String outcome) {
        Counter.builder("alloplace.gateway.launches").tag("app", app).tag("outcome", outcome)
                .description("launch requests by app and outcome").register(meters).increment();
    }

    /** The running processes, oldest first. */
    public CompletableFuture<List<RunningApp>> running() {
        return CompletableFuture.supplyAsync(() -> running.values().stream().map(r -> r.view).toList(), owner);
    }

    /**
     * Refuses new launches, sends SIGTERM to every process (and what it started), kills what is
     * left after the grace period, and returns once all are gone (or a second after the kill).
     */
    public void stop() {
        List<Running> all;
        try {
            all = CompletableFuture.supplyAsync(() -> {
                stopping = true;
                List<Running> snapshot = new ArrayList<>(running.values());
                snapshot.forEach(Running::terminate);
                return snapshot;
            }, owner).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the supervisor did not answer; stopping without it: {}", e.toString());
            all = List.of();
        }
        if (!all.isEmpty()) {
            log.info("stopping {} app process(es), {} ms grace", all.size(), limits.grace().toMillis());
        }
        await(all, Running::gone, limits.grace());
        List<Running> stubborn = all.stream().filter(Running::alive).toList();
        if (!stubborn.isEmpty()) {
            stubborn.forEach(app -> {
                log.warn("{} did not stop within {} ms of SIGTERM; killing it", app.label(), limits.grace().toMillis());
                app.kill();
            });
            await(stubborn, Running::gone, Duration.ofSeconds(1));
        }
        await(all, app -> app.recorded, Duration.ofSeconds(1));
        owner.shutdown();
        try {
            owner.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(List<Running> apps, Function<Running, CompletableFuture<?>> event,
            Duration limit) {
        try {
            CompletableFuture.allOf(apps.stream().map(event).toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Some are still alive; the caller decides what comes next.
        }
    }
}
