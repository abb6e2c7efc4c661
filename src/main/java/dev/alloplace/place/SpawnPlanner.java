package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.state.World;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spawn spec (components loose or under {@code components}, nested {@code children})
 * into entities with fresh ids, and checks the whole tree against the limits and budgets before
 * any of it exists, so a refused spawn changes nothing. Used on the place thread.
 */
final class SpawnPlanner {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final PlaceSettings settings;
    private final World world;
    private final EntityIds ids;
    private final WorldBudget budget;

    SpawnPlanner(PlaceSettings settings, World world, EntityIds ids, WorldBudget budget) {
        this.settings = settings;
        this.world = world;
        this.ids = ids;
        this.budget = budget;
    }

    private record Spawn(String id, Map<String, JsonNode> components) {
    }

    /** Creates the tree for {@code owner}, or says why not. */
    SpawnResult spawn(Agent owner, JsonNode spec) {
        List<Spawn> planned = new ArrayList<>();
        String problem = plan(spec, null, 0, planned);
        if (problem == null && world.countOwnedBy(owner.id()) + planned.size() > settings.maxEntitiesPerAgent()) {
            problem = tooMany();
        }
        long weight = problem == null ? weight(planned) : 0;
        if (problem == null) {
            problem = budget.refuseGrowth(owner.id(), weight);
        }
        if (problem != null) {
            return new SpawnResult.Refused(problem);
        }
        for (Spawn spawn : planned) {
            world.createEntity(spawn.id, owner.id(), spawn.components);
        }
        budget.written(owner, weight);
        return new SpawnResult.Spawned(planned.get(0).id);
    }

    /** What the planned entities would add to the world. */
    private long weight(List<Spawn> planned) {
        long bytes = 0;
        for (Spawn spawn : planned) {
            long components = 0;
            for (Map.Entry<String, JsonNode> component : spawn.components.entrySet()) {
                components += world.measure(component.getKey(), component.getValue());
            }
            bytes += world.entityBytes(spawn.id, components, spawn.components.size());
        }
        return bytes;
    }

    private String tooMany() {
        return "an agent may own at most " + settings.maxEntitiesPerAgent() + " entities";
    }

    private String plan(JsonNode spec, String parentId, int depth, List<Spawn> planned) {
        if (!spec.isObject()) {
            return "an entity spec must be an object";
        }
        if (depth > settings.maxSpawnDepth()) {
            return "children nested deeper than " + settings.maxSpawnDepth();
        }
        if (planned.size() >= settings.maxEntitiesPerAgent()) {
            return tooMany();
        }
        JsonNode wrapped = spec.get("components");
        Map<String, JsonNode> components = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = wrapped != null && wrapped.isObject() ? wrapped.fields() : spec.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (wrapped == null && ("children".equals(key) || "avatar".equals(key)) || field.getValue().isNull()) {
                continue;
            }
            JsonNode value = field.getValue().deepCopy();
            String problem = budget.refuseComponent(key, value);
            if (problem != null) {
                return problem;
            }
            components.put(key, value);
        }
        if (!components.containsKey("transform")) {
            components.put("transform", identityTransform());
        }
        if (parentId != null) {
            components.put("relationships", F.objectNode().put("parent", parentId));
        } else {
            JsonNode relationships = components.get("relationships");
            if (relationships != null && relationships.path("parent").isTextual()) {
                String parent = relationships.path("parent").textValue();
                if (!world.exists(parent)) {
                    return "no such parent entity " + parent;
                }
                WorldLimits limits = settings.worldLimits();
                String problem = limits.parentProblem(world.checkParent(null, parent, limits.maxParentDepth()));
                if (problem != null) {
                    return problem;
                }
            }
        }
        String id = ids.nextEntityId();
        while (world.exists(id)) {
            id = ids.nextEntityId();
        }
        planned.add(new Spawn(id, components));
        JsonNode children = spec.get("children");
        if (children != null && !children.isNull()) {
            if (!children.isArray()) {
                return "children must be a list";
            }
            for (JsonNode child : children) {
                String problem = plan(child, id, depth + 1, planned);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** {@code {"matrix": identity}}: where an entity without a transform stands. */
    static ObjectNode identityTransform() {
        ArrayNode matrix = F.arrayNode();
        for (int i = 0; i < 16; i++) {
            matrix.add(i % 5 == 0 ? 1.0 : 0.0);
        }
        ObjectNode transform = F.objectNode();
        transform.set("matrix", matrix);
        return transform;
    }
}
