package dev.alloplace.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The server's one meter registry, rendered in Prometheus text format at {@code /metrics}.
 * Components register their own meters on {@link #registry()}; JVM meters come built in.
 */
public final class Metrics implements AutoCloseable {

    /**
     * A heartbeat takes well under a millisecond, so its histogram starts at 10 µs (Micrometer's
     * timers start at 1 ms, which would put every heartbeat in the first bucket): Prometheus'
     * histogram_quantile, and the load generator's window figures, then resolve it.
     */
    private static final MeterFilter HEARTBEAT_BUCKETS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (!id.getName().equals("alloplace.heartbeat")) {
                return config;
            }
            return DistributionStatisticConfig.builder()
                    .minimumExpectedValue((double) Duration.ofMillis(1).toNanos() / 100)
                    .maximumExpectedValue((double) Duration.ofSeconds(5).toNanos())
                    .build().merge(config);
        }
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public Metrics() {
        registry.config().commonTags("application", "alloplace").meterFilter(HEARTBEAT_BUCKETS);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The {@code /metrics} route. */
    public AdminRoute route() {
        return request -> CompletableFuture.completedFuture(new AdminResponse(200,
                "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
