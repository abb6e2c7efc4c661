package dev.alloplace.place;

import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.state.EncodedState;
import dev.alloplace.state.World;
import dev.alloplace.transport.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of the place, registered once up front (by interaction type and outcome, by
 * channel role and direction, by disconnect reason), and the {@link PlaceStats} published after
 * each heartbeat with the heartbeat's p50/p99 over the last minute. Written by the place thread
 * only; the stats and gauges are safe to read anywhere.
 */
final class PlaceMetrics {

    private static final long RTT_SAMPLE_NANOS = 1_000_000_000L;

    private final Timer heartbeatTimer;
    private final Map<InteractionType, Map<InteractionOutcome, Counter>> interactions = new EnumMap<>(InteractionType.class);
    private final Counter ignored;
    private final Map<ChannelRole, DistributionSummary> received = new EnumMap<>(ChannelRole.class);
    private final Map<ChannelRole, DistributionSummary> sent = new EnumMap<>(ChannelRole.class);
    private final DistributionSummary receivedUnknown;
    private final DistributionSummary sentUnknown;
    private final DistributionSummary roundTrips;
    private final Map<DisconnectReason, Counter> disconnects = new EnumMap<>(DisconnectReason.class);
    private final Counter workUnits;
    private final ThreadMXBean threadCpu = ManagementFactory.getThreadMXBean();
    private final long[] recentHeartbeats;
    /** CPU time of the place thread in each heartbeat: the work itself, without waiting for a core. */
    private final long[] recentHeartbeatCpu;
    private final int heartbeatHz;
    private long lastRttSampleNanos;
    /** The percentiles published with the stats, sorted out once a second rather than every heartbeat. */
    private long[] wallPercentiles = {0, 0};
    private long[] cpuPercentiles = {0, 0};
    private long heartbeats;
    private long diffBytes;
    private long mergeBytes;
    private long mergeContentBytes;
    private long routed;
    private long refused;
    private volatile long worldBytes;
    private volatile PlaceStats stats = PlaceStats.EMPTY;

    PlaceMetrics(MeterRegistry meters, int heartbeatHz) {
        heartbeatTimer = Timer.builder("alloplace.heartbeat").description("time to simulate and send one heartbeat")
                .publishPercentileHistogram().register(meters);
        for (InteractionType type : InteractionType.values()) {
            Map<InteractionOutcome, Counter> byOutcome = new EnumMap<>(InteractionOutcome.class);
            for (InteractionOutcome outcome : InteractionOutcome.values()) {
                byOutcome.put(outcome, Counter.builder("alloplace.interactions").description("interactions by type and outcome")
                        .tag("type", type.wire()).tag("outcome", outcome.tag).register(meters));
            }
            interactions.put(type, byOutcome);
        }
        ignored = Counter.builder("alloplace.input.ignored")
                .description("messages ignored as malformed, oversized or unexpected").register(meters);
        for (ChannelRole role : ChannelRole.values()) {
            received.put(role, channel(meters, role.name(), "in"));
            sent.put(role, channel(meters, role.name(), "out"));
        }
        receivedUnknown = channel(meters, "UNKNOWN", "in");
        sentUnknown = channel(meters, "UNKNOWN", "out");
        roundTrips = DistributionSummary.builder("alloplace.enet.rtt").baseUnit("milliseconds")
                .description("smoothed ENet round-trip time of each agent, sampled once a second")
                .publishPercentiles(0.5, 0.99).register(meters);
        for (DisconnectReason reason : DisconnectReason.values()) {
            disconnects.put(reason, Counter.builder("alloplace.disconnects").description("agents the place disconnected, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(meters));
        }
        workUnits = Counter.builder("alloplace.work.units")
                .description("work units spent on agents' messages (one per message, per KiB and per 1,000 guard steps)")
                .register(meters);
        Gauge.builder("alloplace.world.bytes", this, metrics -> metrics.worldBytes)
                .description("what the world weighs in a full state").baseUnit("bytes").register(meters);
        this.heartbeatHz = heartbeatHz;
        recentHeartbeats = new long[Math.max(1, heartbeatHz * 60)];
        recentHeartbeatCpu = new long[recentHeartbeats.length];
    }

    private static DistributionSummary channel(MeterRegistry meters, String role, String direction) {
        return DistributionSummary.builder("alloplace.channel.messages").baseUnit("bytes")
                .description("messages per channel role and direction (count) and their bytes (sum)")
                .tag("channel", role.toLowerCase(Locale.ROOT)).tag("direction", direction).register(meters);
    }

    PlaceStats stats() {
        return stats;
    }

    /** A message arrived on a channel of {@code role} (null: outside the layout). */
    void received(ChannelRole role, int bytes) {
        (role == null ? receivedUnknown : received.get(role)).record(bytes);
    }

    void sent(ChannelRole role, int bytes) {
        (role == null ? sentUnknown : sent.get(role)).record(bytes);
    }

    void count(Interaction interaction, InteractionOutcome outcome) {
        if (outcome.accepted()) {
            routed++;
        } else {
            refused++;
        }
        interactions.get(interaction.type()).get(outcome).increment();
    }

    /** A message was ignored as malformed, oversized or unexpected. */
    void ignored() {
        refused++;
        ignored.increment();
    }

    void disconnected(DisconnectReason reason) {
        disconnects.get(reason).increment();
    }

    void worked(long units) {
        workUnits.increment(units);
    }

    void stateSent(EncodedState state) {
        diffBytes += state.json().length;
        if (!state.isSet()) {
            mergeBytes += state.json().length;
            mergeContentBytes += state.contentBytes();
        }
    }

    /** Once a second, every agent's smoothed round-trip time. */
    void sampleRoundTrips(long now, Collection<Agent> agents, Transport transport) {
        if (now - lastRttSampleNanos < RTT_SAMPLE_NANOS) {
            return;
        }
        lastRttSampleNanos = now;
        for (Agent agent : agents) {
            transport.stats(agent.connection()).ifPresent(s -> roundTrips.record(s.roundTripTimeMillis()));
        }
    }

    /** The place thread's CPU time now, for {@link #heartbeatEnded}. */
    long cpuNow() {
        return threadCpu.getCurrentThreadCpuTime();
    }

    /**
     * Records a heartbeat that took {@code tookNanos} and publishes the stats after it (the
     * percentiles over the last minute are brought up to date once a second's worth of heartbeats).
     */
    void heartbeatEnded(long tookNanos, long cpuAtStart, Collection<Agent> agents, World world) {
        heartbeats++;
        long cpu = Math.max(0, cpuNow() - cpuAtStart);
        int slot = (int) (heartbeats % recentHeartbeats.length);
        recentHeartbeats[slot] = tookNanos;
        recentHeartbeatCpu[slot] = cpu;
        heartbeatTimer.record(tookNanos, TimeUnit.NANOSECONDS);
        int announced = 0;
        for (Agent agent : agents) {
            if (agent.announced()) {
                announced++;
            }
        }
        int samples = (int) Math.min(heartbeats, recentHeartbeats.length);
        if (heartbeats <= heartbeatHz || heartbeats % heartbeatHz == 0) {
            wallPercentiles = p50p99(recentHeartbeats, samples);
            cpuPercentiles = p50p99(recentHeartbeatCpu, samples);
        }
        long[] wall = wallPercentiles;
        long[] cpuTimes = cpuPercentiles;
        worldBytes = world.bytes();
        stats = new PlaceStats(agents.size(), announced, world.entityCount(), world.componentCount(),
                world.revision(), heartbeats, tookNanos, diffBytes, mergeBytes, mergeContentBytes, routed, refused,
                System.currentTimeMillis(), wall[0], wall[1], cpuTimes[0], cpuTimes[1]);
    }

    /** Median and 99th percentile of the first {@code samples} values of a ring of heartbeat times. */
    private static long[] p50p99(long[] ring, int samples) {
        long[] sorted = Arrays.copyOf(ring, samples);
        Arrays.sort(sorted);
        return new long[] {sorted[samples / 2], sorted[Math.min(samples - 1, (int) (samples * 0.99))]};
    }
}
