package dev.alloplace.cli;

import dev.alloplace.loadgen.LoadFailedException;
import dev.alloplace.loadgen.LoadGenerator;
import dev.alloplace.loadgen.LoadPlan;
import dev.alloplace.loadgen.LoadProgress;
import dev.alloplace.loadgen.LoadResult;
import dev.alloplace.loadgen.ResultWriter;
import dev.alloplace.loadgen.Sample;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alloplace loadgen}: simulated agents against a place on this machine. Exit 0 when the
 * run went its whole length without a failed request, 1 when it failed or stopped early (every
 * agent lost), 2 for bad options.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, showDefaultValues = true,
        description = {"Run simulated agents over real ENet against a place on loopback; shows progress every second "
                + "and writes result.json and PNG charts.",
            "Exit codes: 0 a complete run, 1 a failed request, an unreachable place or every agent lost, 2 bad options."})
final class LoadgenCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "21337", description = "UDP port of the place on 127.0.0.1")
    int port;

    @Option(names = "--admin-port", defaultValue = "21338",
            description = "admin port of the place, for its heartbeat and CPU figures; -1 for none")
    int adminPort;

    @Option(names = "--agents", defaultValue = "10", description = "moving agents")
    int agents;

    @Option(names = "--static-entities", defaultValue = "0", description = "entities spawned before the measurement")
    int staticEntities;

    @Option(names = "--place-entities", defaultValue = "0",
            description = "entities the place already owns (from its entities file), for the late-join probe")
    int placeEntities;

    @Option(names = "--duration", defaultValue = "30", description = "measured seconds (the run always ends by itself)")
    long seconds;

    @Option(names = "--intent-hz", defaultValue = "20", description = "intents per second per agent")
    int intentHz;

    @Option(names = "--interactions-per-second", defaultValue = "0", description = "requests per second per agent")
    double interactions;

    @Option(names = "--churn-per-minute", defaultValue = "0", description = "agents replaced per minute")
    double churn;

    @Option(names = "--still", defaultValue = "false",
            description = "agents hold one pose (intents still flow): interactions without state traffic")
    boolean still;

    @Option(names = "--interaction-warm-up", defaultValue = "30",
            description = "seconds interactions ramp up and settle before they are measured")
    long interactionWarmUp;

    @Option(names = "--signed-identities", defaultValue = "false",
            description = "each agent gets its own Ed25519 key and joins verified (identity challenge, signed announce)")
    boolean signedIdentities;

    @Option(names = "--protocol", defaultValue = "4", description = "3 or 4")
    int protocol;

    @Option(names = "--out", defaultValue = "target/loadgen", description = "directory for result.json and charts")
    Path out;

    @Override
    public Integer call() {
        LoadPlan plan;
        try {
            plan = new LoadPlan(new InetSocketAddress("127.0.0.1", port),
                    adminPort < 0 ? null : URI.create("http://127.0.0.1:" + adminPort + "/"), agents, staticEntities,
                    Duration.ofSeconds(seconds), intentHz, interactions, churn, protocol, placeEntities, still,
                    Duration.ofSeconds(interactionWarmUp), signedIdentities);
        } catch (IllegalArgumentException e) {
            System.err.println("alloplace loadgen: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        StatusLine console = StatusLine.forConsole(System.out);
        LoadResult result;
        try {
            result = new LoadGenerator().run(plan, new LoadProgress() {
                @Override
                public void status(String what) {
                    console.status(what);
                }

                @Override
                public void sample(Sample sample) {
                    console.line(progressLine(sample));
                    console.liveOnly(bar(sample.second(), plan.duration().toSeconds()) + " " + sample.agentsConnected()
                            + " agents, " + sample.diffsPerSecond() + " diffs/s");
                }
            });
        } catch (LoadFailedException e) {
            console.finish();
            System.err.println("alloplace loadgen: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        console.finish();
        try {
            ResultWriter.write(result, out);
        } catch (IOException e) {
            System.err.println("alloplace loadgen: cannot write the results to " + out + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        System.out.println(summary(result) + "; written to " + out.toAbsolutePath());
        result.stoppedEarly().ifPresent(why -> System.err.println("alloplace loadgen: stopped early: " + why));
        return result.succeeded() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    static String progressLine(Sample s) {
        return String.format(Locale.ROOT, "%5ds agents=%d diffs/s=%d in=%.0fKB/s out=%.0fKB/s heartbeat p50=%s p99=%s cpu=%s%s",
                s.second(), s.agentsConnected(), s.diffsPerSecond(), s.bytesInPerSecond() / 1024.0,
                s.bytesOutPerSecond() / 1024.0, ms(s.heartbeatP50Millis()), ms(s.heartbeatP99Millis()),
                percent(s.serverCpuPercent()), s.interactionsAnswered() > 0 ? " rtt p50=" + ms(s.interactionP50Millis())
                        + " p99=" + ms(s.interactionP99Millis()) : "");
    }

    static String summary(LoadResult r) {
        return String.format(Locale.ROOT, "result: %.0f s measured, heartbeat p50=%s p99=%s over %d heartbeats "
                        + "(place thread CPU p50=%s p99=%s), server cpu=%s, %.0f bytes/client/s, late join %s, "
                        + "interaction rtt p50=%s p99=%s, diff efficiency %s, disconnects=%d, errors=%d",
                r.measuredSeconds(), ms(r.heartbeatP50Millis()), ms(r.heartbeatP99Millis()), r.heartbeatsMeasured(),
                ms(r.heartbeatCpuP50Millis()), ms(r.heartbeatCpuP99Millis()), percent(r.serverCpuPercent()),
                r.bytesPerClientPerSecond(), r.lateJoinMillis().isPresent()
                        ? String.format(Locale.ROOT, "%.0fms", r.lateJoinMillis().getAsDouble()) : "n/a",
                ms(r.interactionP50Millis()), ms(r.interactionP99Millis()),
                r.diffEfficiency().isPresent() ? String.format(Locale.ROOT, "%.2f", r.diffEfficiency().getAsDouble()) : "n/a",
                r.disconnectsSeen(), r.errors());
    }

    private static String ms(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.2fms", value.getAsDouble()) : "n/a";
    }

    private static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.0f%%", value.getAsDouble()) : "n/a";
    }

    /** {@code [#####.....] 12/60 s}. */
    static String bar(long done, long total) {
        int width = 30;
        int filled = (int) Math.min(width, total <= 0 ? width : done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " s";
    }
}
