package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The place's entities and the delta engine. Every write is recorded in the open revision with
 * the component's value before and after; {@link #closeRevision} seals it. A client's diff is
 * built from the records after the revision it acknowledged, so its cost follows what changed,
 * not how big the world is, and is encoded once per distinct base. Confined to the place thread.
 */
public final class World {

    public static final String PLACE_OWNER = "place";
    /** A reused buffer that grew past this for a burst is let go. */
    private static final int SCRATCH_KEPT = 256 * 1024;
    /**
     * Encodings {@link #measure} keeps for the write that follows (a spawn's components), at most,
     * and their bytes: a refused write never writes what it measured, so what is kept is bounded
     * and let go at every revision (it held refused spawns' components after their agents left).
     */
    private static final int MEASURED_KEPT = 1024;
    private static final long MEASURED_BYTES_KEPT = 4L << 20;

    private final StateSettings settings;
    private final Map<String, Entity> entities = new LinkedHashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>();
    private final Map<String, Set<String>> owned = new HashMap<>();
    private final Map<String, Set<String>> byComponent = new HashMap<>();
    private final Map<String, long[]> contentChanges = new HashMap<>();
    private final Map<String, long[]> bytesByOwner = new HashMap<>();
    private final List<ClosedRevision> history = new ArrayList<>();
    private final Map<Long, EncodedState> encoded = new HashMap<>();
    /** Reused buffers: patches and component values are written here and copied out at their exact size. */
    private final StateWriter patches = new StateWriter(64 * 1024);
    private final StateWriter values = new StateWriter(1024);
    /** By value node (identity): the encodings of values measured and not yet written. */
    private final Map<JsonNode, Measured> measured = new IdentityHashMap<>();
    private long measuredBytes;
    private List<Change> open = new ArrayList<>();
    private long revision;
    private int componentCount;
    private long bytes;

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

    /** What {@link #checkParent} found. */
    public enum ParentCheck { OK, CYCLE, TOO_DEEP }

    /**
     * Whether {@code parentId} may become the parent of {@code entityId} (null for an entity not
     * yet created): not if that closes a cycle ({@code entityId} is {@code parentId} or one of its
     * ancestors), nor if {@code parentId} already has {@code maxDepth} or more ancestors. The walk
     * up takes at most {@code maxDepth} steps, whatever the world holds.
     */
    public ParentCheck checkParent(String entityId, String parentId, int maxDepth) {
        String at = parentId;
        for (int depth = 0; at != null; depth++) {
            if (at.equals(entityId)) {
                return ParentCheck.CYCLE;
            }
            if (depth >= maxDepth) {
                return ParentCheck.TOO_DEEP;
            }
            EntityView entity = entities.get(at);
            at = entity == null ? null : entity.parent().orElse(null);
        }
        return ParentCheck.OK;
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

    /** How many entities {@code owner} owns, without copying their ids. */
    public int countOwnedBy(String owner) {
        Set<String> ids = owned.get(owner);
        return ids == null ? 0 : ids.size();
    }

    public int entityCount() {
        return entities.size();
    }

    public int componentCount() {
        return componentCount;
    }

    /**
     * What the entities add up to in a full state, in bytes: every entity's encoding with its
     * separator. Kept as the world changes (each component is encoded when it is written, and
     * that encoding is what the next diff or full state sends), so budgets can be checked
     * before a write without measuring the world.
     */
    public long bytes() {
        return bytes;
    }

    /** The part of {@link #bytes()} taken by the entities {@code owner} owns. */
    public long bytesOwnedBy(String owner) {
        long[] owned = bytesByOwner.get(owner);
        return owned == null ? 0 : owned[0];
    }

    /**
     * What one component, {@code "name":value}, takes in a state message. The encoding is kept
     * for a moment: writing this very value (the same node) next stores it instead of encoding
     * the value again, so a checked write encodes each component once.
     */
    public int measure(String name, JsonNode value) {
        Measured known = measured.get(value);
        if (known != null && known.name.equals(name)) {
            return known.encoded.length;
        }
        byte[] encoded = encodeComponent(name, value);
        if (measured.size() >= MEASURED_KEPT || measuredBytes + encoded.length > MEASURED_BYTES_KEPT) {
            forgetMeasured();
        }
        measured.put(value, new Measured(name, encoded));
        measuredBytes += encoded.length;
        return encoded.length;
    }

    /** The encoding {@link #measure} made of this value under this name, or a new one. */
    private byte[] encodingOf(String name, JsonNode value) {
        Measured known = measured.isEmpty() ? null : measured.remove(value);
        if (known != null) {
            measuredBytes -= known.encoded.length;
        }
        return known != null && known.name.equals(name) ? known.encoded : encodeComponent(name, value);
    }

    private record Measured(String name, byte[] encoded) {
    }

    private void forgetMeasured() {
        measured.clear();
        measuredBytes = 0;
    }

    /** What the {@code "name":} part of a component takes (so a value's own size is the rest). */
    public int keyBytes(String name) {
        values.reset(SCRATCH_KEPT);
        values.key(name);
        return values.length();
    }

    /** What the component takes now, 0 if the entity or component does not exist. */
    public int componentBytes(String entityId, String name) {
        Entity entity = entities.get(entityId);
        return entity == null || !entity.components.containsKey(name) ? 0 : entity.encodedComponent(name).length;
    }

    /**
     * What a new entity with components of {@code componentBytes} bytes in all (each measured by
     * {@link #measure}) would add to {@link #bytes()}.
     */
    public long entityBytes(String entityId, long componentBytes, int componentCount) {
        return overhead(entityId) + componentBytes + Math.max(0, componentCount - 1);
    }

    private int overhead(String entityId) {
        values.reset(SCRATCH_KEPT);
        values.key(entityId);
        values.string(entityId);
        return values.length() + ID_OPEN.length + COMPONENTS_FIELD.length + CLOSE_TWO.length + COMMA.length;
    }

    private byte[] encodeComponent(String name, JsonNode value) {
        values.reset(SCRATCH_KEPT);
        values.key(name);
        values.value(value);
        return values.copy();
    }

    /** Moves the entity's share of the byte totals from {@code before} to what it is now. */
    private void recount(Entity entity, long before) {
        long delta = (entities.get(entity.id) == entity ? entity.bytes() : 0) - before;
        if (delta == 0) {
            return;
        }
        bytes += delta;
        long[] owned = bytesByOwner.computeIfAbsent(entity.owner, key -> new long[1]);
        owned[0] += delta;
        if (owned[0] == 0) {
            bytesByOwner.remove(entity.owner);
        }
    }

    // ------------------------------------------------------------------ writes

    public void createEntity(String entityId, String owner, Map<String, JsonNode> components) {
        if (entities.containsKey(entityId)) {
            throw new IllegalStateException("entity exists: " + entityId);
        }
        Entity entity = new Entity(entityId, owner, overhead(entityId));
        entities.put(entityId, entity);
        recount(entity, 0);
        owned.computeIfAbsent(owner, key -> new LinkedHashSet<>()).add(entityId);
        open.add(new Change(entityId, null, Change.Kind.CREATE_ENTITY, null, null));
        components.forEach((name, value) -> put(entity, name, value, false));
    }

    /** Replaces one component; unknown entities are a programming error of the caller. */
    public void setComponent(String entityId, String name, JsonNode value) {
        Entity entity = require(entityId);
        JsonNode before = entity.components.get(name);
        if (before == value || value.equals(before)) {
            return;
        }
        put(entity, name, value, true);
    }

    public void removeComponent(String entityId, String name) {
        Entity entity = require(entityId);
        long bytesBefore = entity.bytes();
        JsonNode before = entity.components.remove(name);
        if (before == null) {
            return;
        }
        componentCount--;
        entity.changed(name, null);
        recount(entity, bytesBefore);
        unindex(name, entityId);
        counted(entity, name);
        if ("relationships".equals(name)) {
            reparent(entity, null);
        }
        record(entity, name, before, null, true);
    }

    /** Removes just this entity; what happens to its children is the caller's policy. */
    public void removeEntity(String entityId) {
        Entity entity = entities.remove(entityId);
        if (entity == null) {
            return;
        }
        recount(entity, entity.bytes());
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

    private void put(Entity entity, String name, JsonNode value, boolean coalesce) {
        long bytesBefore = entity.bytes();
        JsonNode before = entity.components.put(name, value);
        entity.changed(name, encodingOf(name, value));
        recount(entity, bytesBefore);
        if (before == null) {
            componentCount++;
            byComponent.computeIfAbsent(name, key -> new LinkedHashSet<>()).add(entity.id);
        }
        if ("relationships".equals(name)) {
            JsonNode parent = value.get("parent");
            reparent(entity, parent != null && parent.isTextual() ? parent.textValue() : null);
        }
        record(entity, name, before, value, coalesce);
        counted(entity, name);
    }

    /**
     * Records a component edit in the open revision. With {@code coalesce}, an edit of a component
     * this revision already changed replaces that change with one from its first value to this one:
     * clients only ever see whole revisions, and the simulation writes a moving avatar's transform
     * several times per heartbeat at 5 Hz, each of which the history would otherwise keep.
     */
    private void record(Entity entity, String name, JsonNode before, JsonNode after, boolean coalesce) {
        if (coalesce) {
            int at = entity.openChange(name, revision);
            if (at >= 0) {
                JsonNode first = open.get(at).before();
                open.set(at, new Change(entity.id, name, Change.Kind.COMPONENT, first, after, MergePatch.keepsShape(first, after)));
                return;
            }
            entity.rememberOpenChange(name, revision, open.size());
        }
        open.add(new Change(entity.id, name, Change.Kind.COMPONENT, before, after, MergePatch.keepsShape(before, after)));
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
        forgetMeasured();
        return revision;
    }

    /** Edits the history holds, over all its revisions. */
    int changesKept() {
        int kept = 0;
        for (ClosedRevision closed : history) {
            kept += closed.changes().size();
        }
        return kept;
    }

    /**
     * The state message for a client that acknowledged {@code ackRevision}: a merge patch when
     * that revision is still in the history, else the full state. Encoded once per base per
     * revision; {@link #preparePatches} builds many bases in one pass.
     */
    public EncodedState stateFor(long ackRevision) {
        boolean mergeable = !needsFullState(ackRevision);
        long key = mergeable ? ackRevision : -1;
        EncodedState cached = encoded.get(key);
        if (cached != null) {
            return cached;
        }
        if (mergeable) {
            preparePatches(List.of(ackRevision));
            return encoded.get(key);
        }
        EncodedState state = encodeSet();
        encoded.put(key, state);
        return state;
    }

    /**
     * Encodes the merge patches from each of {@code bases} to the current revision in one
     * backward sweep over the history, so a heartbeat with clients on many different bases
     * walks each change once rather than once per base. Bases outside the history are ignored.
     */
    public void preparePatches(Collection<Long> bases) {
        TreeMap<Integer, Long> wanted = new TreeMap<>();
        for (long base : bases) {
            if (!needsFullState(base) && !encoded.containsKey(base)) {
                wanted.put((int) Revisions.distance(base, revision), base);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        // Walking from the newest revision back: a component's "before" is overwritten by each older
        // change (the oldest in the span wins) and its "after" is kept from the first (newest) one.
        Map<String, Coalesced> touched = new LinkedHashMap<>();
        int walked = 0;
        Iterator<Map.Entry<Integer, Long>> next = wanted.entrySet().iterator();
        Map.Entry<Integer, Long> target = next.next();
        int span = target.getKey();
        while (true) {
            while (walked < span) {
                List<Change> changes = history.get(history.size() - 1 - walked).changes();
                for (int i = changes.size() - 1; i >= 0; i--) {
                    Change change = changes.get(i);
                    Coalesced entry = touched.computeIfAbsent(change.entityId(), id -> new Coalesced(entities.get(id)));
                    // the oldest change in the span decides: created after the base, or known to the client
                    entry.createdAfterBase = change.kind() == Change.Kind.CREATE_ENTITY;
                    if (change.kind() == Change.Kind.COMPONENT) {
                        entry.recordBackwards(change);
                    }
                }
                walked++;
            }
            encoded.put(target.getValue(), encodePatch(target.getValue(), touched));
            if (!next.hasNext()) {
                return;
            }
            target = next.next();
            span = target.getKey();
        }
    }

    /**
     * Whether a client that acknowledged {@code ackRevision} is too far behind for a merge patch
     * (or never had a state) and needs the full state: cheap, so callers can decide whether to
     * send one before anything is encoded.
     */
    public boolean needsFullState(long ackRevision) {
        return ackRevision == 0 || Revisions.distance(ackRevision, revision) > history.size();
    }

    /** {@code {"entities":{...},"revision":N}} — for the admin API, persistence and tests. */
    public ObjectNode fullStateDocument() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode all = document.putObject("entities");
        entities.values().forEach(entity -> all.set(entity.id, entity.toJson()));
        document.put("revision", revision);
        return document;
    }

    private EncodedState encodePatch(long base, Map<String, Coalesced> touched) {
        StateWriter out = patches;
        out.reset(SCRATCH_KEPT);
        out.raw(ENTITIES_OPEN);
        boolean first = true;
        long content = 0;
        for (Map.Entry<String, Coalesced> touchedEntity : touched.entrySet()) {
            String id = touchedEntity.getKey();
            Coalesced entry = touchedEntity.getValue();
            Entity now = entry.now;
            if (entry.createdAfterBase) {
                if (now != null) {
                    first = out.separator(first);
                    content += now.encodedMember().length;
                    out.raw(now.encodedMember());
                }
            } else if (now == null) {
                first = out.separator(first);
                out.key(id);
                out.raw(NULL);
                content += NULL.length;
            } else {
                boolean firstComponent = true;
                for (ComponentSpan component : entry.components.values()) {
                    JsonNode diff = component.diff();
                    if (diff == null) {
                        continue;
                    }
                    byte[] whole = diff == component.after ? component.encodedWhole(now) : null;
                    if (firstComponent) {
                        first = out.separator(first);
                        out.key(id);
                        out.raw(COMPONENTS_OPEN);
                        firstComponent = false;
                    } else {
                        out.raw(COMMA);
                    }
                    int before = out.length();
                    if (whole != null) {
                        out.raw(whole);
                    } else {
                        out.key(component.name);
                        out.value(diff);
                    }
                    content += out.length() - before;
                }
                if (!firstComponent) {
                    out.raw(CLOSE_TWO);
                }
            }
        }
        out.raw(REVISION_FIELD);
        out.number(revision);
        out.raw(MERGE_FROM_FIELD);
        out.number(base);
        out.raw(CLOSE_ONE);
        return new EncodedState(revision, base, false, out.copy(), content);
    }

    private EncodedState encodeSet() {
        int members = 0;
        for (Entity entity : entities.values()) {
            members += entity.encodedMember().length;
        }
        int size = ENTITIES_OPEN.length + members + Math.max(0, entities.size() - 1) + REVISION_FIELD.length
                + Long.toString(revision).length() + SET_STYLE_FIELD.length;
        StateWriter out = new StateWriter(size);
        out.raw(ENTITIES_OPEN);
        boolean first = true;
        for (Entity entity : entities.values()) {
            first = out.separator(first);
            out.raw(entity.encodedMember());
        }
        out.raw(REVISION_FIELD);
        out.number(revision);
        out.raw(SET_STYLE_FIELD);
        return new EncodedState(revision, 0, true, out.toByteArray(), members);
    }

    private static final byte[] ENTITIES_OPEN = ascii("{\"entities\":{");
    private static final byte[] COMPONENTS_OPEN = ascii("{\"components\":{");
    private static final byte[] REVISION_FIELD = ascii("},\"revision\":");
    private static final byte[] MERGE_FROM_FIELD = ascii(",\"patch_style\":\"merge\",\"patch_from\":");
    private static final byte[] SET_STYLE_FIELD = ascii(",\"patch_style\":\"set\"}");
    private static final byte[] NULL = ascii("null");
    private static final byte[] ID_OPEN = ascii("{\"id\":");
    private static final byte[] COMPONENTS_FIELD = ascii(",\"components\":{");
    private static final byte[] COMMA = ascii(",");
    private static final byte[] CLOSE_ONE = ascii("}");
    private static final byte[] CLOSE_TWO = ascii("}}");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One entity's changes since a base, while the backward sweep widens the span: the first
     * "before" and last "after" of each component, and the entity as it is now (null once removed),
     * looked up once per sweep rather than once per base.
     */
    private static final class Coalesced {
        final Entity now;
        boolean createdAfterBase;
        final Map<String, ComponentSpan> components = new LinkedHashMap<>();

        Coalesced(Entity now) {
            this.now = now;
        }

        /** For a walk from the newest change back: the last "after" stays, the "before" moves back. */
        void recordBackwards(Change change) {
            ComponentSpan span = components.get(change.component());
            if (span == null) {
                components.put(change.component(), new ComponentSpan(change.component(), change.before(), change.after()));
            } else {
                span.widen(change);
            }
        }
    }

    /**
     * A component's value at the base and now, while the sweep moves the base back. The diff is
     * kept until the base moves; once it is the whole current value, it stays the whole value as
     * long as every older edit folded in kept the shape ({@link MergePatch#keepsShape}), so a
     * moved transform is compared once per heartbeat rather than once per base. The current
     * value's encoding is looked up once however many patches carry it.
     */
    private static final class ComponentSpan {
        final String name;
        final JsonNode after;
        private JsonNode before;
        private JsonNode diffedBefore;
        private JsonNode diff;
        private boolean diffed;
        /** Whether every edit folded in since the last diff kept the shape. */
        private boolean shapeKept = true;
        private byte[] whole;

        ComponentSpan(String name, JsonNode before, JsonNode after) {
            this.name = name;
            this.before = before;
            this.after = after;
        }

        void widen(Change older) {
            before = older.before();
            shapeKept &= older.keepsShape();
        }

        JsonNode diff() {
            if (!diffed || diffedBefore != before) {
                if (!diffed || diff != after || after == null || !shapeKept) {
                    diff = MergePatch.diff(before, after);
                }
                diffedBefore = before;
                diffed = true;
                shapeKept = true;
            }
            return diff;
        }

        byte[] encodedWhole(Entity now) {
            if (whole == null) {
                whole = now.encodedComponent(name);
            }
            return whole;
        }
    }

    private static final class Entity implements EntityView {
        final String id;
        final String owner;
        final Map<String, JsonNode> components = new LinkedHashMap<>();
        final Map<String, JsonNode> view = Collections.unmodifiableMap(components);
        String parent;
        /** {@code "id":{"id":"id","components":{...}}}, encoded on demand and dropped on every write. */
        private byte[] encodedMember;
        /** {@code "name":value} of each component, encoded when it is written. */
        private final Map<String, byte[]> encodedComponents = new HashMap<>();
        /** The entity's encoding without its components, plus its separator in a full state. */
        private final int overhead;
        private long componentBytes;
        /** Where in the open revision's changes each component edited through {@link World#setComponent} was recorded, and for which revision. */
        private Map<String, Integer> openChanges;
        private long openChangesAfter = -1;

        Entity(String id, String owner, int overhead) {
            this.id = id;
            this.owner = owner;
            this.overhead = overhead;
        }

        /** Its share of a full state: the encoding, the components' commas and its separator. */
        long bytes() {
            return overhead + componentBytes + Math.max(0, components.size() - 1);
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

        byte[] encodedMember() {
            if (encodedMember == null) {
                StateWriter out = new StateWriter((int) Math.min(Integer.MAX_VALUE - 8, bytes()));
                out.key(id);
                out.raw(ID_OPEN);
                out.string(id);
                out.raw(COMPONENTS_FIELD);
                boolean first = true;
                for (String component : components.keySet()) {
                    first = out.separator(first);
                    out.raw(encodedComponent(component));
                }
                out.raw(CLOSE_TWO);
                encodedMember = out.toByteArray();
            }
            return encodedMember;
        }

        /** The {@code "name":value} of a component the entity has, as encoded when it was written. */
        byte[] encodedComponent(String name) {
            return encodedComponents.get(name);
        }

        /** The component now encodes as {@code encoded}, or is gone (null). */
        void changed(String component, byte[] encoded) {
            encodedMember = null;
            byte[] before = encoded == null ? encodedComponents.remove(component) : encodedComponents.put(component, encoded);
            componentBytes += (encoded == null ? 0 : encoded.length) - (before == null ? 0 : before.length);
        }

        /** The index of this component's change in the revision after {@code closed}, or -1. */
        int openChange(String component, long closed) {
            if (openChanges == null || openChangesAfter != closed) {
                return -1;
            }
            Integer at = openChanges.get(component);
            return at == null ? -1 : at;
        }

        void rememberOpenChange(String component, long closed, int index) {
            if (openChanges == null) {
                openChanges = new HashMap<>(4);
            }
            if (openChangesAfter != closed) {
                openChanges.clear();
                openChangesAfter = closed;
            }
            openChanges.put(component, index);
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
