package dev.alloplace.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ProtocolJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The place's entities and the delta engine. Every write is recorded in the open revision with
 * the component's value before and after; {@link #closeRevision} seals it. A client's diff is
 * built from the records after the revision it acknowledged, so its cost follows what changed,
 * not how big the world is, and is encoded once per distinct base. Confined to the place thread.
 */
public final class World {

    public static final String PLACE_OWNER = "place";

    private final StateSettings settings;
    private final Map<String, Entity> entities = new LinkedHashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>();
    private final Map<String, Set<String>> owned = new HashMap<>();
    private final Map<String, Set<String>> byComponent = new HashMap<>();
    private final Map<String, long[]> contentChanges = new HashMap<>();
    private final List<ClosedRevision> history = new ArrayList<>();
    private final Map<Long, EncodedState> encoded = new HashMap<>();
    private List<Change> open = new ArrayList<>();
    private long revision;
    private int componentCount;

    private record ClosedRevision(long revision, List<Change> changes) {
    }

    public World(StateSettings settings) {
        this.settings = settings;
        this.revision = settings.initialRevision();
    }

    // ------------------------------------------------------------------ reads

    public boolean exists(String entityId) {
        return entities.containsKey(entityId);
    }

    public Optional<EntityView> entity(String entityId) {
        return Optional.ofNullable(entities.get(entityId));
    }

    public Collection<EntityView> entities() {
        return Collections.unmodifiableCollection(entities.values());
    }

    /** Direct children by {@code relationships.parent}. */
    public List<String> childrenOf(String entityId) {
        Set<String> ids = children.get(entityId);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    /**
     * How many edits entities of {@code owner} have had since start, not counting the
     * heartbeat's {@code clock} component: persistence saves only when this moves.
     */
    public long contentChanges(String owner) {
        long[] count = contentChanges.get(owner);
        return count == null ? 0 : count[0];
    }

    private void counted(Entity entity, String component) {
        if (!"clock".equals(component)) {
            contentChanges.computeIfAbsent(entity.owner, key -> new long[1])[0]++;
        }
    }

    /** Ids of the entities that have a component named {@code name} (an index, not a scan). */
    public Set<String> withComponent(String name) {
        Set<String> ids = byComponent.get(name);
        return ids == null ? Set.of() : Collections.unmodifiableSet(ids);
    }

    public Set<String> ownedBy(String owner) {
        Set<String> ids = owned.get(owner);
        return ids == null ? Set.of() : Set.copyOf(ids);
    }

    public int entityCount() {
        return entities.size();
    }

    public int componentCount() {
        return componentCount;
    }

    // ------------------------------------------------------------------ writes

    public void createEntity(String entityId, String owner, Map<String, JsonNode> components) {
        if (entities.containsKey(entityId)) {
            throw new IllegalStateException("entity exists: " + entityId);
        }
        Entity entity = new Entity(entityId, owner);
        entities.put(entityId, entity);
        owned.computeIfAbsent(owner, key -> new LinkedHashSet<>()).add(entityId);
        open.add(new Change(entityId, null, Change.Kind.CREATE_ENTITY, null, null));
        components.forEach((name, value) -> put(entity, name, value));
    }

    /** Replaces one component; unknown entities are a programming error of the caller. */
    public void setComponent(String entityId, String name, JsonNode value) {
        Entity entity = require(entityId);
        JsonNode before = entity.components.get(name);
        if (before == value || value.equals(before)) {
            return;
        }
        put(entity, name, value);
    }

    public void removeComponent(String entityId, String name) {
        Entity entity = require(entityId);
        JsonNode before = entity.components.remove(name);
        if (before == null) {
            return;
        }
        componentCount--;
        unindex(name, entityId);
        counted(entity, name);
        if ("relationships".equals(name)) {
            reparent(entity, null);
        }
        open.add(new Change(entityId, name, Change.Kind.COMPONENT, before, null));
    }

    /** Removes just this entity; what happens to its children is the caller's policy. */
    public void removeEntity(String entityId) {
        Entity entity = entities.remove(entityId);
        if (entity == null) {
            return;
        }
        entity.components.forEach((name, value) -> {
            open.add(new Change(entityId, name, Change.Kind.COMPONENT, value, null));
            unindex(name, entityId);
        });
        componentCount -= entity.components.size();
        counted(entity, null);
        open.add(new Change(entityId, null, Change.Kind.REMOVE_ENTITY, null, null));
        reparent(entity, null);
        Set<String> mine = owned.get(entity.owner);
        if (mine != null) {
            mine.remove(entityId);
            if (mine.isEmpty()) {
                owned.remove(entity.owner);
            }
        }
    }

    private void unindex(String component, String entityId) {
        Set<String> ids = byComponent.get(component);
        if (ids != null) {
            ids.remove(entityId);
            if (ids.isEmpty()) {
                byComponent.remove(component);
            }
        }
    }

    private void put(Entity entity, String name, JsonNode value) {
        JsonNode before = entity.components.put(name, value);
        if (before == null) {
            componentCount++;
            byComponent.computeIfAbsent(name, key -> new java.util.LinkedHashSet<>()).add(entity.id);
        }
        if ("relationships".equals(name)) {
            JsonNode parent = value.get("parent");
            reparent(entity, parent != null && parent.isTextual() ? parent.textValue() : null);
        }
        open.add(new Change(entity.id, name, Change.Kind.COMPONENT, before, value));
        counted(entity, name);
    }

    private void reparent(Entity entity, String parent) {
        if (entity.parent != null) {
            Set<String> siblings = children.get(entity.parent);
            if (siblings != null) {
                siblings.remove(entity.id);
                if (siblings.isEmpty()) {
                    children.remove(entity.parent);
                }
            }
        }
        entity.parent = entities.containsKey(entity.id) ? parent : null;
        if (entity.parent != null) {
            children.computeIfAbsent(entity.parent, key -> new LinkedHashSet<>()).add(entity.id);
        }
    }

    private Entity require(String entityId) {
        Entity entity = entities.get(entityId);
        if (entity == null) {
            throw new IllegalArgumentException("no such entity: " + entityId);
        }
        return entity;
    }

    // ------------------------------------------------------------------ revisions

    /** The last closed revision. */
    public long revision() {
        return revision;
    }

    public boolean hasUncommittedChanges() {
        return !open.isEmpty();
    }

    /** Seals the open changes (possibly none) as the next revision. */
    public long closeRevision() {
        revision = Revisions.next(revision);
        history.add(new ClosedRevision(revision, open));
        open = new ArrayList<>();
        if (history.size() > settings.historyLength()) {
            history.subList(0, history.size() - settings.historyLength()).clear();
        }
        encoded.clear();
        return revision;
    }

    /**
     * The state message for a client that acknowledged {@code ackRevision}: a merge patch when
     * that revision is still in the history, else the full state. Encoded once per base.
     */
    public EncodedState stateFor(long ackRevision) {
        long distance = Revisions.distance(ackRevision, revision);
        boolean mergeable = ackRevision != 0 && distance <= history.size();
        long key = mergeable ? ackRevision : -1;
        EncodedState cached = encoded.get(key);
        if (cached != null) {
            return cached;
        }
        EncodedState state = mergeable ? encodePatch(ackRevision, (int) distance) : encodeSet();
        encoded.put(key, state);
        return state;
    }

    /** {@code {"entities":{...},"revision":N}} — for the admin API, persistence and tests. */
    public ObjectNode fullStateDocument() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode all = document.putObject("entities");
        entities.values().forEach(entity -> all.set(entity.id, entity.toJson()));
        document.put("revision", revision);
        return document;
    }

    private EncodedState encodePatch(long base, int span) {
        Map<String, Coalesced> touched = new LinkedHashMap<>();
        for (int i = history.size() - span; i < history.size(); i++) {
            for (Change change : history.get(i).changes()) {
                Coalesced entry = touched.computeIfAbsent(change.entityId(),
                        id -> new Coalesced(change.kind() == Change.Kind.CREATE_ENTITY));
                if (change.kind() == Change.Kind.COMPONENT) {
                    entry.record(change.component(), change.before(), change.after());
                }
            }
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        touched.forEach((id, entry) -> {
            Entity now = entities.get(id);
            if (entry.createdAfterBase) {
                if (now != null) {
                    patch.set(id, now.toJson());
                }
            } else if (now == null) {
                patch.putNull(id);
            } else {
                ObjectNode components = JsonNodeFactory.instance.objectNode();
                entry.components.forEach((name, values) -> {
                    JsonNode diff = MergePatch.diff(values[0], values[1]);
                    if (diff != null) {
                        components.set(name, diff);
                    }
                });
                if (!components.isEmpty()) {
                    patch.putObject(id).set("components", components);
                }
            }
        });
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.set("entities", patch);
        document.put("revision", revision);
        document.put("patch_style", "merge");
        document.put("patch_from", base);
        return new EncodedState(revision, base, false, ProtocolJson.write(document));
    }

    private EncodedState encodeSet() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entities.size() * 128);
        try (JsonGenerator json = ProtocolJson.mapper().getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("entities");
            for (Entity entity : entities.values()) {
                json.writeObjectFieldStart(entity.id);
                json.writeStringField("id", entity.id);
                json.writeObjectFieldStart("components");
                for (Map.Entry<String, JsonNode> component : entity.components.entrySet()) {
                    json.writeFieldName(component.getKey());
                    ProtocolJson.mapper().writeTree(json, component.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeNumberField("revision", revision);
            json.writeStringField("patch_style", "set");
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EncodedState(revision, 0, true, out.toByteArray());
    }

    /** The first "before" and last "after" of each component touched since a base. */
    private static final class Coalesced {
        final boolean createdAfterBase;
        final Map<String, JsonNode[]> components = new LinkedHashMap<>();

        Coalesced(boolean createdAfterBase) {
            this.createdAfterBase = createdAfterBase;
        }

        void record(String component, JsonNode before, JsonNode after) {
            JsonNode[] values = components.get(component);
            if (values == null) {
                components.put(component, new JsonNode[] {before, after});
            } else {
                values[1] = after;
            }
        }
    }

    private static final class Entity implements EntityView {
        final String id;
        final String owner;
        final Map<String, JsonNode> components = new LinkedHashMap<>();
        final Map<String, JsonNode> view = Collections.unmodifiableMap(components);
        String parent;

        Entity(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public Map<String, JsonNode> components() {
            return view;
        }

        @Override
        public Optional<String> parent() {
            return Optional.ofNullable(parent);
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("id", id);
            ObjectNode componentsJson = json.putObject("components");
            components.forEach(componentsJson::set);
            return json;
        }
    }
}
