package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.state.EntityView;
import dev.alloplace.transport.ConnectionStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The place interactions every Alloverse place has: spawn, remove and change entities, list and
 * kick agents. Response names and error strings follow allonet's, with its bugs fixed (see
 * docs/compatibility.md).
 */
final class CoreHandlers {

    private CoreHandlers() {
    }

    static void install(PlaceHandlers handlers) {
        handlers.register("spawn_entity", CoreHandlers::spawnEntity);
        handlers.register("remove_entity", CoreHandlers::removeEntity);
        handlers.register("change_components", CoreHandlers::changeComponents);
        handlers.register("list_agents", CoreHandlers::listAgents);
        handlers.register("kick_agent", CoreHandlers::kickAgent);
    }

    static ArrayNode spawnEntity(PlaceContext place, Agent agent, Interaction interaction) {
        JsonNode spec = interaction.body().get(1);
        if (spec == null || !spec.isObject()) {
            return PlaceContext.error("spawn_entity", "invalid request");
        }
        SpawnResult result = place.spawn(agent, spec);
        if (result instanceof SpawnResult.Spawned spawned) {
            return Interaction.body("spawn_entity", spawned.rootId());
        }
        return PlaceContext.error("spawn_entity", ((SpawnResult.Refused) result).reason());
    }

    static ArrayNode removeEntity(PlaceContext place, Agent agent, Interaction interaction) {
        JsonNode id = interaction.body().get(1);
        if (id == null || !id.isTextual()) {
            return Interaction.body("remove_entity", "failed", "invalid request");
        }
        Optional<EntityView> entity = place.world().entity(id.textValue());
        if (entity.isEmpty()) {
            return Interaction.body("remove_entity", "failed", "no such entity");
        }
        if (!entity.get().owner().equals(agent.id())) {
            return Interaction.body("remove_entity", "failed", "not the owner");
        }
        boolean cascade = !"reparent".equals(interaction.body().path(2).asText());
        place.removeEntity(id.textValue(), cascade);
        return Interaction.body("remove_entity", "ok");
    }

    static ArrayNode changeComponents(PlaceContext place, Agent agent, Interaction interaction) {
        ArrayNode body = interaction.body();
        JsonNode id = body.get(1);
        JsonNode changes = body.get(3);
        JsonNode removals = body.get(5);
        if (id == null || !id.isTextual() || changes == null || !changes.isObject()
                || removals != null && !removals.isArray()) {
            return PlaceContext.error("change_components", "invalid request");
        }
        Optional<EntityView> entity = place.world().entity(id.textValue());
        if (entity.isEmpty()) {
            return PlaceContext.error("change_components", "no such entity");
        }
        if (!entity.get().owner().equals(agent.id())) {
            return PlaceContext.error("change_components", "not the owner");
        }
        Map<String, JsonNode> changed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> change = it.next();
            if ("live_media".equals(change.getKey())) {
                return PlaceContext.error("change_components", "live_media is managed by the place");
            }
            if (change.getValue().isNull()) {
                return PlaceContext.error("change_components", "component " + change.getKey() + " is null");
            }
            if ("relationships".equals(change.getKey()) && change.getValue().path("parent").isTextual()
                    && !place.world().exists(change.getValue().path("parent").textValue())) {
                return PlaceContext.error("change_components", "no such parent entity");
            }
            if ("relationships".equals(change.getKey()) && change.getValue().path("parent").isTextual()) {
                WorldLimits limits = place.settings().worldLimits();
                String problem = limits.parentProblem(place.world().checkParent(id.textValue(),
                        change.getValue().path("parent").textValue(), limits.maxParentDepth()));
                if (problem != null) {
                    return PlaceContext.error("change_components", problem);
                }
            }
            changed.put(change.getKey(), change.getValue().deepCopy());
        }
        List<String> removed = new ArrayList<>();
        if (removals != null) {
            for (JsonNode name : removals) {
                if (!name.isTextual()) {
                    return PlaceContext.error("change_components", "component names to remove must be strings");
                }
                removed.add(name.textValue());
            }
        }
        WorldBudget.ChangeVerdict verdict = place.budget().checkChange(agent.id(), id.textValue(), changed, removed);
        if (verdict.refusal() != null) {
            return PlaceContext.error("change_components", verdict.refusal());
        }
        changed.forEach((name, value) -> place.world().setComponent(id.textValue(), name, value));
        removed.forEach(name -> place.world().removeComponent(id.textValue(), name));
        place.budget().written(agent, verdict.writtenBytes());
        return Interaction.body("change_components", "ok");
    }

    static ArrayNode listAgents(PlaceContext place, Agent agent, Interaction interaction) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (Agent other : place.agents()) {
            if (!other.announced()) {
                continue;
            }
            ObjectNode entry = list.addObject();
            entry.put("display_name", other.displayName());
            entry.put("agent_id", other.id());
            entry.put("avatar_id", other.avatarId());
            entry.put("is_visor", place.world().entity(other.avatarId())
                    .map(avatar -> avatar.components().containsKey("visor")).orElse(false));
            entry.put("stats", statsText(place, other));
            entry.set("identity", other.identitySummary());
        }
        return Interaction.body("list_agents", "ok", list);
    }

    static ArrayNode kickAgent(PlaceContext place, Agent agent, Interaction interaction) {
        JsonNode id = interaction.body().get(1);
        if (id == null || !id.isTextual()) {
            return PlaceContext.error("kick_agent", "invalid request");
        }
        Optional<Agent> target = place.agent(id.textValue());
        if (target.isEmpty()) {
            return PlaceContext.error("kick_agent", "agent not found");
        }
        place.kick(target.get(), DisconnectReason.KICKED.code());
        return Interaction.body("kick_agent", "ok");
    }

    private static String statsText(PlaceContext place, Agent agent) {
        int entities = place.world().countOwnedBy(agent.id());
        Optional<ConnectionStats> stats = place.stats(agent);
        return "Entities\t" + entities + "\n"
                + "Packets lost\t" + stats.map(ConnectionStats::packetsLost).orElse(0L) + "\n"
                + "RTT\t" + stats.map(ConnectionStats::roundTripTimeMillis).orElse(0L) + "ms\t\n"
                + "Packet throttle\t" + stats.map(s -> s.packetThrottle() * 100 / 32).orElse(100) + "%\n";
    }
}
