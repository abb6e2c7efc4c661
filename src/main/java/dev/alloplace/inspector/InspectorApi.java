package dev.alloplace.inspector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.admin.AdminRequest;
import dev.alloplace.admin.AdminResponse;
import dev.alloplace.admin.AdminServer;
import dev.alloplace.place.Place;
import dev.alloplace.protocol.ProtocolJson;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The inspector's own JSON views of what {@link PlaceWatch} keeps. The place thread only copies
 * out a bounded slice (at most the rings' capacity, or {@code admin.inspector_max_entities}
 * markers); the JSON is written on another thread.
 *
 * <pre>
 * GET /api/history[?since=t]   once-a-second samples later than place time t
 * GET /api/events[?since=seq]  recent events changed after seq
 * GET /api/map                 world positions of entities with a transform, avatars first
 * </pre>
 */
public final class InspectorApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Place place;
    private final PlaceWatch watch;

    public InspectorApi(Place place, PlaceWatch watch) {
        this.place = place;
        this.watch = watch;
    }

    public void install(AdminServer admin) {
        admin.route("/api/history", this::history);
        admin.route("/api/events", this::events);
        admin.route("/api/map", this::map);
    }

    private record Slice<T>(double now, List<T> items) {
    }

    private CompletableFuture<AdminResponse> history(AdminRequest request) {
        Double since = number(request, "since");
        if (since == null) {
            return invalidSince();
        }
        return place.call(p -> new Slice<>(p.serverTime(), watch.history(since))).thenApplyAsync(slice -> {
            ObjectNode json = F.objectNode();
            json.put("now", slice.now());
            json.put("interval_s", 1);
            json.put("capacity", watch.historyCapacity());
            ArrayNode samples = json.putArray("samples");
            for (HistorySample s : slice.items()) {
                samples.addObject().put("t", s.time()).put("agents", s.agents()).put("entities", s.entities())
                        .put("revision", s.revision()).put("heartbeat_max_ms", round(s.heartbeatMaxMs()))
                        .put("heartbeat_mean_ms", round(s.heartbeatMeanMs()))
                        .put("bytes_out_per_s", Math.round(s.bytesOutPerSecond()))
                        .put("bytes_in_per_s", Math.round(s.bytesInPerSecond()))
                        .put("interactions_per_s", round(s.interactionsPerSecond()));
            }
            return json(json);
        });
    }

    private CompletableFuture<AdminResponse> events(AdminRequest request) {
        Double since = number(request, "since");
        if (since == null) {
            return invalidSince();
        }
        return place.call(p -> new Slice<>(p.serverTime(), watch.events(since.longValue()))).thenApplyAsync(slice -> {
            ObjectNode json = F.objectNode();
            json.put("now", slice.now());
            json.put("capacity", watch.eventCapacity());
            ArrayNode list = json.putArray("events");
            for (PlaceEvent e : slice.items()) {
                list.addObject().put("id", e.id()).put("seq", e.seq()).put("t", e.time()).put("at", e.at())
                        .put("kind", e.kind()).put("agent", e.agent()).put("name", e.name()).put("detail", e.detail())
                        .put("count", e.count());
            }
            return json(json);
        });
    }

    private CompletableFuture<AdminResponse> map(AdminRequest request) {
        return place.call(watch::map).thenApplyAsync(view -> {
            ObjectNode json = F.objectNode();
            json.put("with_transform", view.withTransform());
            json.put("max", watch.settings().maxEntities());
            json.put("truncated", view.truncated());
            ArrayNode markers = json.putArray("markers");
            for (MapMarker m : view.markers()) {
                ObjectNode marker = markers.addObject().put("id", m.id()).put("owner", m.owner()).put("kind", m.kind());
                if (!m.label().isEmpty()) {
                    marker.put("label", m.label());
                }
                marker.put("x", round(m.x())).put("y", round(m.y())).put("z", round(m.z()));
            }
            return json(json);
        });
    }

    /** The query parameter as a number, 0 when absent, null when it is not a number. */
    private static Double number(AdminRequest request, String name) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return 0.0;
        }
        try {
            double value = Double.parseDouble(values.get(0));
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static CompletableFuture<AdminResponse> invalidSince() {
        return CompletableFuture.completedFuture(AdminResponse.error(400, "invalid_request", "since must be a number"));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static AdminResponse json(ObjectNode body) {
        return AdminResponse.json(200, ProtocolJson.write(body));
    }
}
