package dev.alloplace.cli;

import dev.alloplace.loadgen.LoadGenerator;
import dev.alloplace.loadgen.LoadPlan;
import dev.alloplace.loadgen.LoadResult;
import dev.alloplace.loadgen.ResultWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alloplace loadgen}: simulated agents against a place on this machine. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run simulated agents over real ENet against a place on loopback; prints progress each second "
                + "and writes result.json and PNG charts.")
final class LoadgenCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "21337", description = "UDP port of the place on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--admin-port", defaultValue = "21338", description = "admin port of the place, for heartbeat and CPU figures; -1 for none")
    int adminPort;

    @Option(names = "--agents", defaultValue = "10", description = "moving agents (default ${DEFAULT-VALUE})")
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

    @Option(names = "--still", description = "agents hold one pose (intents still flow): interactions without state traffic")
    boolean still;

    @Option(names = "--interaction-warm-up", defaultValue = "30",
            description = "seconds interactions ramp up and settle before they are measured")
    long interactionWarmUp;

    @Option(names = "--protocol", defaultValue = "4", description = "3 or 4")
    int protocol;

    @Option(names = "--out", defaultValue = "target/loadgen", description = "directory for result.json and charts")
    Path out;

    @Override
    public Integer call() throws Exception {
        LoadPlan plan;
        try {
            plan = new LoadPlan(new InetSocketAddress("127.0.0.1", port),
                    adminPort < 0 ? null : URI.create("http://127.0.0.1:" + adminPort + "/"), agents, staticEntities,
                    Duration.ofSeconds(seconds), intentHz, interactions, churn, protocol, placeEntities, still,
                    Duration.ofSeconds(interactionWarmUp));
        } catch (IllegalArgumentException e) {
            System.err.println("alloplace loadgen: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        LoadResult result = new LoadGenerator().run(plan, sample -> System.out.printf(Locale.ROOT,
                "%5.0fs agents=%d diffs/s=%d in=%.0fKB/s out=%.0fKB/s heartbeat p50=%.2fms p99=%.2fms cpu=%.0f%%%s%n",
                sample.secondsSinceStart(), sample.agentsConnected(), sample.diffsPerSecond(),
                sample.bytesInPerSecond() / 1024.0, sample.bytesOutPerSecond() / 1024.0, sample.heartbeatP50Millis(),
                sample.heartbeatP99Millis(), sample.serverCpuPercent(),
                sample.interactionsAnswered() > 0 ? String.format(Locale.ROOT, " rtt p50=%.2fms p99=%.2fms",
                        sample.interactionP50Millis(), sample.interactionP99Millis()) : ""));
        ResultWriter.write(result, out);
        System.out.printf(Locale.ROOT, "result: heartbeat p50=%.2fms p99=%.2fms (place thread CPU p50=%.2fms p99=%.2fms), %.0f bytes/client/s, late join %.0fms, "
                        + "interaction rtt p50=%.2fms p99=%.2fms, diff efficiency %.2f, disconnects=%d, errors=%d; written to %s%n",
                result.heartbeatP50Millis(), result.heartbeatP99Millis(), result.heartbeatCpuP50Millis(),
                result.heartbeatCpuP99Millis(), result.bytesPerClientPerSecond(),
                result.lateJoinMillis(), result.interactionP50Millis(), result.interactionP99Millis(),
                result.diffEfficiency(), result.disconnectsSeen(), result.errors(), out.toAbsolutePath());
        return result.errors() == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
