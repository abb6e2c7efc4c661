package dev.alloplace.inspector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.sim.Mat4;
import dev.alloplace.state.EntityView;
import dev.alloplace.state.NumberArrayNode;
import dev.alloplace.state.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the entities are, seen from above: the world position of at most {@code max} entities
 * with a {@code transform}, avatars first, computed on the place thread in one pass. A world
 * transform is the parent's world transform times the local one (PROTOCOL.md §6.1); each is
 * computed once and reused by the children, up to {@value #MAX_DEPTH} ancestors (a deeper
 * chain, or a cycle of parents, is cut there and its top treated as a root). So one request
 * costs at most {@code max} entity lookups and matrix products plus those of their ancestors.
 */
final class WorldMap {

    static final int MAX_DEPTH = 64;
    private static final String TRANSFORM = "transform";

    /** The markers, how many entities have a transform, and whether some of them were left out. */
    record View(List<MapMarker> markers, int withTransform, boolean truncated) {
    }

    private final World world;
    private final Map<String, double[]> worldTransforms = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    private WorldMap(World world) {
        this.world = world;
    }

    static View of(PlaceContext place, int max) {
        WorldMap map = new WorldMap(place.world());
        List<MapMarker> markers = new ArrayList<>();
        Set<String> avatars = new HashSet<>();
        for (Agent agent : place.agents()) {
            if (markers.size() >= max) {
                break;
            }
            String avatar = agent.avatarId();
            Optional<EntityView> entity = avatar == null ? Optional.empty() : place.world().entity(avatar);
            if (entity.isPresent() && entity.get().components().containsKey(TRANSFORM)) {
                avatars.add(avatar);
                markers.add(map.marker(entity.get(), "avatar", agent.displayName()));
            }
        }
        Set<String> withTransform = place.world().withComponent(TRANSFORM);
        for (String id : withTransform) {
            if (markers.size() >= max) {
                break;
            }
            if (avatars.contains(id)) {
                continue;
            }
            Optional<EntityView> entity = place.world().entity(id);
            if (entity.isPresent()) {
                markers.add(map.marker(entity.get(), id.equals("place") ? "place" : "entity", ""));
            }
        }
        return new View(List.copyOf(markers), withTransform.size(), markers.size() < withTransform.size());
    }

    /** A marker at the entity's world position: its parent's world transform applied to its own translation. */
    private MapMarker marker(EntityView entity, String kind, String label) {
        double[] local = localTransform(entity);
        Optional<EntityView> parent = entity.parent().flatMap(world::entity);
        double[] p = parent.isEmpty() ? Mat4.position(local)
                : Mat4.transformPoint(worldTransform(parent.get(), 1), local[12], local[13], local[14]);
        return new MapMarker(entity.id(), entity.owner(), kind, label, p[0], p[1], p[2]);
    }

    /** A parent's transform in world space, computed once per request and shared by its children. */
    private double[] worldTransform(EntityView entity, int depth) {
        double[] known = worldTransforms.get(entity.id());
        if (known != null) {
            return known;
        }
        double[] result = localTransform(entity);
        Optional<EntityView> parent = entity.parent().flatMap(world::entity);
        if (parent.isPresent() && depth < MAX_DEPTH && inProgress.add(entity.id())) {
            result = Mat4.multiply(worldTransform(parent.get(), depth + 1), result);
            inProgress.remove(entity.id());
        }
        worldTransforms.put(entity.id(), result);
        return result;
    }

    /** The entity's {@code transform.matrix}; identity when missing or not 16 finite numbers. */
    static double[] localTransform(EntityView entity) {
        JsonNode transform = entity.components().get(TRANSFORM);
        JsonNode matrix = transform == null ? null : transform.get("matrix");
        if (matrix == null || !matrix.isArray() || matrix.size() != Mat4.SIZE) {
            return Mat4.identity();
        }
        double[] m = matrix instanceof NumberArrayNode numbers ? numbers.numbers() : new double[Mat4.SIZE];
        if (!(matrix instanceof NumberArrayNode)) {
            for (int i = 0; i < Mat4.SIZE; i++) {
                JsonNode element = matrix.get(i);
                if (!element.isNumber()) {
                    return Mat4.identity();
                }
                m[i] = element.doubleValue();
            }
        }
        for (double v : m) {
            if (!Double.isFinite(v)) {
                return Mat4.identity();
            }
        }
        return m;
    }
}
