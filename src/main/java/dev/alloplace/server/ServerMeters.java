package dev.alloplace.server;

import dev.alloplace.acl.AccessControl;
import dev.alloplace.assets.AssetStore;
import dev.alloplace.media.MediaRelay;
import dev.alloplace.place.Place;
import dev.alloplace.transport.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The meters read from the server's parts when scraped: the place's counts, the transport's
 * counters and what the features report. (The place registers its own per-event meters.)
 */
final class ServerMeters {

    private ServerMeters() {
    }

    static void bind(MeterRegistry registry, Place place, Transport transport, PlaceFeatures features) {
        gauge(registry, "alloplace.agents", "connected agents", place, p -> p.stats().agents());
        gauge(registry, "alloplace.agents.announced", "agents that announced", place, p -> p.stats().announcedAgents());
        gauge(registry, "alloplace.entities", "entities in the place", place, p -> p.stats().entities());
        gauge(registry, "alloplace.components", "components in the place", place, p -> p.stats().components());
        gauge(registry, "alloplace.revision", "last state revision", place, p -> p.stats().revision());
        counter(registry, "alloplace.diff.bytes", "bytes of state diffs sent", place, p -> p.stats().diffBytesSent());
        counter(registry, "alloplace.enet.datagrams.sent", "UDP datagrams sent", transport, t -> t.stats().datagramsSent());
        counter(registry, "alloplace.enet.datagrams.received", "UDP datagrams received", transport,
                t -> t.stats().datagramsReceived());
        counter(registry, "alloplace.enet.bytes.sent", "UDP bytes sent", transport, t -> t.stats().bytesSent());
        counter(registry, "alloplace.enet.bytes.received", "UDP bytes received", transport, t -> t.stats().bytesReceived());
        counter(registry, "alloplace.enet.datagrams.dropped", "datagrams rejected as malformed or unexpected", transport,
                t -> t.stats().datagramsDropped());
        counter(registry, "alloplace.enet.retransmits", "reliable commands sent again", transport,
                t -> t.stats().retransmits());
        counter(registry, "alloplace.acl.denials", "interactions denied by the ACL", features.accessControl,
                AccessControl::denials);
        counter(registry, "alloplace.media.forwarded", "media packets forwarded to subscribers", features.media,
                MediaRelay::forwardedPackets);
        counter(registry, "alloplace.media.dropped", "media packets dropped (unknown track, not the owner, malformed)",
                features.media, MediaRelay::droppedPackets);
        gauge(registry, "alloplace.assets.store.bytes", "bytes in the asset store", features.assetStore,
                AssetStore::totalBytes);
    }

    private static <T> void gauge(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }
}
