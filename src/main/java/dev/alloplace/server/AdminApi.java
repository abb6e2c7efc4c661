package dev.alloplace.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.acl.AccessControl;
import dev.alloplace.admin.AdminRequest;
import dev.alloplace.admin.AdminResponse;
import dev.alloplace.admin.AdminServer;
import dev.alloplace.inspector.InspectorSettings;
import dev.alloplace.inspector.PlaceWatch;
import dev.alloplace.place.Agent;
import dev.alloplace.place.Place;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceStats;
import dev.alloplace.transport.TransportStats;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.state.EntityView;
import dev.alloplace.transport.ConnectionStats;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON admin API. Every request becomes an action the place loop performs, so the API
 * never touches place state from the HTTP thread.
 *
 * <pre>
 * GET  /api/place                  name, public key, revision, counts
 * GET  /api/stats                  heartbeat time and network counters (for charts)
 * GET  /api/agents                 connected agents with identity, connection stats, bandwidth and state lag
 * POST /api/agents/{id}/kick       disconnect an agent (reason 1005)
 * GET  /api/entities[?q=text][&limit=n]  the entity tree (roots with nested children), optionally
 *                                  only entities whose id, owner or component JSON contains text;
 *                                  at most n (and admin.inspector_max_entities) nodes
 * GET  /api/entities/{id}          one entity
 * GET  /api/acl                    ACL rules in checking order
 * POST /api/acl                    add a rule: {"effect": "allow"|"deny", "guard": "...", "position": n}
 * DELETE /api/acl/{id}             remove a rule
 * </pre>
 *
 * Errors are {@code {"error": "<code>", "message": "..."}}. Every change is logged as an admin
 * action with the client's address ({@code action}, {@code remote}, {@code agent} or
 * {@code rule} as structured fields).
 */
final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_TREE_DEPTH = 64;
    /** Children of one entity listed by id once the tree's node budget is spent. */
    private static final int MAX_LISTED_CHILDREN = 1000;
    /** Says that a listing stopped at {@code admin.inspector_max_entities}. */
    private static final String TRUNCATED = "X-Alloplace-Truncated";

    private final Place place;
    private final Supplier<TransportStats> transportStats;

    private final AccessControl accessControl;
    private final PlaceWatch watch;

    AdminApi(Place place, Supplier<TransportStats> transportStats, AccessControl accessControl, PlaceWatch watch) {
        this.place = place;
        this.transportStats = transportStats;
        this.accessControl = accessControl;
        this.watch = watch;
    }

    void install(AdminServer admin) {
        admin.route("/api/place", this::placeInfo);
        admin.route("/api/stats", this::stats);
        admin.route("/api/agents", this::agents);
        admin.route("POST", "/api/agents/{id}/kick", this::kick);
        admin.route("/api/entities", this::entities);
        admin.route("/api/entities/{id}", this::entity);
        admin.route("/api/acl", this::aclRules);
        admin.route("POST", "/api/acl", this::addAclRule);
        admin.route("DELETE", "/api/acl/{id}", this::removeAclRule);
    }

    private CompletableFuture<AdminResponse> placeInfo(AdminRequest request) {
        return place.call(p -> {
            ObjectNode info = F.objectNode();
            info.put("name", p.name());
            info.put("public_key", place.publicKey());
            info.put("revision", p.world().revision());
            info.put("agents", p.agents().size());
            info.put("entities", p.world().entityCount());
            info.put("components", p.world().componentCount());
            info.put("server_time", p.serverTime());
            info.put("heartbeat_hz", p.settings().heartbeatHz());
            return json(200, info);
        });
    }

    private CompletableFuture<AdminResponse> stats(AdminRequest request) {
        PlaceStats stats = place.stats();
        TransportStats network = transportStats.get();
        ObjectNode json = F.objectNode();
        json.put("agents", stats.agents());
        json.put("entities", stats.entities());
        json.put("revision", stats.revision());
        json.put("heartbeats", stats.heartbeats());
        json.put("heartbeat_ms", stats.lastHeartbeatNanos() / 1e6);
        json.put("heartbeat_p50_ms", stats.heartbeatP50Nanos() / 1e6);
        json.put("heartbeat_p99_ms", stats.heartbeatP99Nanos() / 1e6);
        json.put("heartbeat_cpu_p50_ms", stats.heartbeatCpuP50Nanos() / 1e6);
        json.put("heartbeat_cpu_p99_ms", stats.heartbeatCpuP99Nanos() / 1e6);
        json.put("diff_bytes_sent", stats.diffBytesSent());
        json.put("merge_bytes_sent", stats.mergeBytesSent());
        json.put("merge_content_bytes_sent", stats.mergeContentBytesSent());
        json.put("bytes_sent", network.bytesSent());
        json.put("bytes_received", network.bytesReceived());
        json.put("datagrams_dropped", network.datagramsDropped());
        json.put("retransmits", network.retransmits());
        return done(json(200, json));
    }

    private CompletableFuture<AdminResponse> agents(AdminRequest request) {
        return place.call(p -> {
            ArrayNode list = F.arrayNode();
            for (Agent agent : p.agents()) {
                list.add(agentJson(p, agent, watch.figures(p, agent)));
            }
            return json(200, list);
        });
    }

    private CompletableFuture<AdminResponse> kick(AdminRequest request) {
        String agentId = request.pathParam("id");
        return place.call(p -> {
            Optional<Agent> agent = p.agent(agentId);
            if (agent.isEmpty()) {
                return error(404, "not_found", "no agent " + agentId);
            }
            log.atInfo().addKeyValue("action", "kick").addKeyValue("agent", agentId)
                    .addKeyValue("remote", request.remoteText())
                    .log("admin kicked agent {} (\"{}\") at the request of {}", agentId, agent.get().displayName(),
                            request.remoteText());
            watch.kicked(p, agent.get(), request.remoteText());
            p.kick(agent.get(), DisconnectReason.KICKED.code());
            return json(200, F.objectNode().put("kicked", agentId));
        });
    }

    private CompletableFuture<AdminResponse> entities(AdminRequest request) {
        List<String> q = request.query().get("q");
        String filter = q == null || q.isEmpty() ? "" : q.get(0).toLowerCase(Locale.ROOT);
        InspectorSettings limits = watch.settings();
        int nodes = limits.maxEntities();
        List<String> limit = request.query().get("limit");
        if (limit != null && !limit.isEmpty()) {
            try {
                nodes = Math.max(1, Math.min(nodes, Integer.parseInt(limit.get(0))));
            } catch (NumberFormatException e) {
                return done(error(400, "invalid_request", "limit must be a whole number"));
            }
        }
        int maxNodes = nodes;
        return place.call(p -> {
            ArrayNode roots = F.arrayNode();
            TreeBudget budget = new TreeBudget(maxNodes);
            int examined = 0;
            for (EntityView entity : p.world().entities()) {
                if (budget.nodesLeft <= 0 || examined++ >= limits.searchBudget()) {
                    budget.truncated = true;
                    break;
                }
                boolean root = entity.parent().filter(p.world()::exists).isEmpty();
                if (filter.isEmpty() ? root : matches(entity, filter)) {
                    roots.add(tree(p, entity, filter.isEmpty() ? MAX_TREE_DEPTH : 0, budget));
                }
            }
            AdminResponse response = json(200, roots);
            return budget.truncated ? response.withHeader(TRUNCATED, "true") : response;
        });
    }

    private CompletableFuture<AdminResponse> entity(AdminRequest request) {
        String id = request.pathParam("id");
        return place.call(p -> p.world().entity(id)
                .map(entity -> json(200, tree(p, entity, MAX_TREE_DEPTH, new TreeBudget(watch.settings().maxEntities()))))
                .orElseGet(() -> error(404, "not_found", "no entity " + id)));
    }

    /** The rules in checking order. */
    private CompletableFuture<AdminResponse> aclRules(AdminRequest request) {
        return place.call(p -> {
            ArrayNode rules = F.arrayNode();
            accessControl.acl().rules().forEach(rule -> rules.add(rule.toJson()));
            return json(200, rules);
        });
    }

    /** {"effect", "guard", "position"?} adds one rule, saved before the answer. */
    private CompletableFuture<AdminResponse> addAclRule(AdminRequest request) {
        JsonNode body;
        try {
            body = ProtocolJson.mapper().readTree(request.body());
        } catch (JacksonException e) {
            return done(error(400, "invalid_json", "the body is not JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return done(error(400, "invalid_json", "the body could not be read: " + e.getMessage()));
        }
        if (body == null || !body.path("effect").isTextual() || !body.path("guard").isTextual()
                || body.has("position") && !body.get("position").isIntegralNumber()) {
            return done(error(400, "invalid_request",
                    "expected {\"effect\": \"allow\"|\"deny\", \"guard\": \"<guard>\", \"position\": <optional index>}"));
        }
        ArrayNode command = F.arrayNode().add("acl_add").add(body.get("effect").textValue()).add(body.get("guard").textValue());
        if (body.has("position")) {
            command.add(body.get("position"));
        }
        return place.call(p -> {
            JsonNode response = accessControl.manage(command).response();
            if ("ok".equals(response.path(1).asText())) {
                log.atInfo().addKeyValue("action", "acl_add").addKeyValue("rule", response.path(2).asText())
                        .addKeyValue("remote", request.remoteText())
                        .log("admin added ACL rule {} ({} {}) at position {} at the request of {}", response.path(2).asText(),
                                body.get("effect").textValue(), body.get("guard").textValue(), response.path(3).asText(),
                                request.remoteText());
            }
            return outcome(response);
        });
    }

    private CompletableFuture<AdminResponse> removeAclRule(AdminRequest request) {
        String id = request.pathParam("id");
        return place.call(p -> {
            JsonNode response = accessControl.manage(F.arrayNode().add("acl_remove").add(id)).response();
            if ("ok".equals(response.path(1).asText())) {
                log.atInfo().addKeyValue("action", "acl_remove").addKeyValue("rule", id)
                        .addKeyValue("remote", request.remoteText())
                        .log("admin removed ACL rule {} at the request of {}", id, request.remoteText());
            }
            return outcome(response);
        });
    }

    /**
     * The ACL's own answer, as an {@code acl_*} interaction would get it, under {@code response};
     * a refusal also carries the API's {@code error} and {@code message}.
     */
    private static AdminResponse outcome(JsonNode response) {
        boolean ok = "ok".equals(response.path(1).asText());
        ObjectNode json = F.objectNode();
        if (!ok) {
            json.put("error", response.path(2).asText("invalid_request"));
            json.put("message", response.path(3).asText(""));
        }
        json.set("response", response);
        int status = ok ? 200 : "not_found".equals(response.path(2).asText()) ? 404 : 400;
        return json(status, json);
    }

    private static boolean matches(EntityView entity, String filter) {
        if (entity.id().toLowerCase(Locale.ROOT).contains(filter) || entity.owner().toLowerCase(Locale.ROOT).contains(filter)) {
            return true;
        }
        for (var component : entity.components().entrySet()) {
            if (component.getKey().toLowerCase(Locale.ROOT).contains(filter)
                    || component.getValue().toString().toLowerCase(Locale.ROOT).contains(filter)) {
                return true;
            }
        }
        return false;
    }

    /** How many more nodes one answer may build, and whether it had to leave some out. */
    private static final class TreeBudget {
        int nodesLeft;
        boolean truncated;

        TreeBudget(int nodes) {
            this.nodesLeft = nodes;
        }
    }

    /**
     * The entity with its children nested {@code depthLeft} levels deep while the budget lasts,
     * then listed by id (at most {@value #MAX_LISTED_CHILDREN}; {@code more_children} counts the rest).
     */
    private static ObjectNode tree(PlaceContext p, EntityView entity, int depthLeft, TreeBudget budget) {
        budget.nodesLeft--;
        ObjectNode node = F.objectNode();
        node.put("id", entity.id());
        node.put("owner", entity.owner());
        entity.parent().ifPresent(parent -> node.put("parent", parent));
        ObjectNode components = node.putObject("components");
        entity.components().forEach(components::set);
        ArrayNode children = node.putArray("children");
        List<String> childIds = p.world().childrenOf(entity.id());
        for (String child : childIds) {
            Optional<EntityView> view = p.world().entity(child);
            if (view.isEmpty()) {
                continue;
            }
            if (depthLeft > 0 && budget.nodesLeft > 0) {
                children.add(tree(p, view.get(), depthLeft - 1, budget));
                continue;
            }
            budget.truncated |= depthLeft > 0;
            if (children.size() >= MAX_LISTED_CHILDREN) {
                node.put("more_children", childIds.size() - children.size());
                budget.truncated = true;
                break;
            }
            children.add(child);
        }
        return node;
    }

    private static ObjectNode agentJson(PlaceContext p, Agent agent, PlaceWatch.AgentFigures figures) {
        ObjectNode json = F.objectNode();
        json.put("agent_id", agent.id());
        json.put("display_name", agent.displayName());
        json.set("identity", agent.identitySummary());
        json.put("announced", agent.announced());
        if (agent.avatarId() != null) {
            json.put("avatar_id", agent.avatarId());
        }
        json.put("protocol", agent.layout().version());
        json.put("remote", agent.remote().getAddress().getHostAddress() + ":" + agent.remote().getPort());
        json.put("entities", p.world().countOwnedBy(agent.id()));
        json.put("ack_revision", agent.ackRevision());
        Optional<ConnectionStats> stats = p.stats(agent);
        stats.ifPresent(s -> {
            json.put("rtt_ms", s.roundTripTimeMillis());
            json.put("packets_lost", s.packetsLost());
            json.put("packet_throttle", s.packetThrottle());
            json.put("bytes_sent", s.bytesSent());
            json.put("bytes_received", s.bytesReceived());
        });
        if (!Double.isNaN(figures.bytesOutPerSecond())) {
            json.put("bytes_out_per_s", Math.round(figures.bytesOutPerSecond()));
            json.put("bytes_in_per_s", Math.round(figures.bytesInPerSecond()));
        }
        if (figures.lagRevisions() != null) {
            json.put("state_lag_revisions", figures.lagRevisions());
            json.put("state_lag_ms", Math.round(figures.lagMillis()));
            if (figures.lagAtLeast()) {
                json.put("state_lag_at_least", true);
            }
        }
        return json;
    }

    private static AdminResponse json(int status, JsonNode body) {
        return AdminResponse.json(status, ProtocolJson.write(body));
    }

    private static AdminResponse error(int status, String code, String message) {
        return AdminResponse.error(status, code, message);
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
