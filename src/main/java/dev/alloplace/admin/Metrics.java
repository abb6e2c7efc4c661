package dev.alloplace.admin;

import io.micrometer.core.instrument.MeterRegistry;
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

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public Metrics() {
        registry.config().commonTags("application", "alloplace");
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
                registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
