package dev.alloplace.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.state.EntityView;
import dev.alloplace.state.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the place's own entities across restarts in {@code data_dir/place.json}. On the first
 * start they come from the entity specs in the configured file; afterwards the data file is
 * the truth. The file is checked completely before the place starts: a corrupt file stops
 * startup with its name instead of starting an empty place. Changes are written atomically at
 * most once a second and when the place stops.
 */
public final class PlacePersistence implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(PlacePersistence.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int FORMAT = 1;
    private static final double WRITE_INTERVAL_SECONDS = 1.0;

    private final Path file;
    private final List<ObjectNode> entities;
    private byte[] lastWritten;
    private double lastWriteAt;
    private long savedChanges = -1;

    /** Reads and validates; throws {@link PersistenceException} naming the file that is bad. */
    public PlacePersistence(Path dataFile, Path initialEntities) {
        this.file = dataFile;
        if (Files.exists(dataFile)) {
            this.entities = readSnapshot(dataFile);
            log.info("restored {} place entities from {}", entities.size(), dataFile);
        } else if (initialEntities != null) {
            this.entities = readSpecs(initialEntities);
            log.info("creating {} place entities declared in {}", entities.size(), initialEntities);
        } else {
            this.entities = List.of();
        }
    }

    @Override
    public void start(PlaceContext place) {
        World world = place.world();
        for (ObjectNode entity : entities) {
            String id = entity.get("id").textValue();
            if (world.exists(id)) {
                continue;
            }
            Map<String, JsonNode> components = new LinkedHashMap<>();
            entity.get("components").fields().forEachRemaining(c -> components.put(c.getKey(), c.getValue()));
            world.createEntity(id, World.PLACE_OWNER, components);
        }
        save(place, true);
    }

    @Override
    public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
        if (serverTime - lastWriteAt >= WRITE_INTERVAL_SECONDS) {
            lastWriteAt = serverTime;
            save(place, false);
        }
    }

    @Override
    public void stop(PlaceContext place) {
        save(place, false);
    }

    private void save(PlaceContext place, boolean force) {
        long changes = place.world().contentChanges(World.PLACE_OWNER);
        if (!force && changes == savedChanges) {
            return;
        }
        savedChanges = changes;
        ObjectNode snapshot = F.objectNode();
        snapshot.put("format", FORMAT);
        ArrayNode list = snapshot.putArray("entities");
        for (String id : place.world().ownedBy(World.PLACE_OWNER)) {
            if ("place".equals(id)) {
                continue;
            }
            EntityView entity = place.world().entity(id).orElseThrow();
            ObjectNode json = list.addObject();
            json.put("id", id);
            ObjectNode components = json.putObject("components");
            entity.components().forEach(components::set);
        }
        byte[] bytes = ProtocolJson.write(snapshot);
        if (!force && Arrays.equals(bytes, lastWritten)) {
            return;
        }
        try {
            AtomicFiles.write(file, bytes);
            lastWritten = bytes;
        } catch (IOException e) {
            log.error("could not save the place to {}: {}", file, e.toString());
        }
    }

    private static List<ObjectNode> readSnapshot(Path dataFile) {
        JsonNode root = readJson(dataFile);
        if (!root.isObject() || root.path("format").asInt() != FORMAT || !root.path("entities").isArray()) {
            throw new PersistenceException(dataFile + " is not a place file of format " + FORMAT, null);
        }
        List<ObjectNode> result = new ArrayList<>();
        for (JsonNode entity : root.get("entities")) {
            if (!entity.isObject() || !entity.path("id").isTextual() || !entity.path("components").isObject()) {
                throw new PersistenceException(dataFile + " holds an entity without id or components: " + entity, null);
            }
            result.add((ObjectNode) entity);
        }
        return result;
    }

    /** Spawn-style specs (components loose or under "components", children nested) made flat with ids. */
    private static List<ObjectNode> readSpecs(Path specsFile) {
        JsonNode root = readJson(specsFile);
        if (!root.isArray()) {
            throw new PersistenceException(specsFile + " must hold a JSON list of entity specs", null);
        }
        List<ObjectNode> result = new ArrayList<>();
        int[] counter = {0};
        for (JsonNode spec : root) {
            flatten(specsFile, spec, null, result, counter, 0);
        }
        return result;
    }

    private static void flatten(Path source, JsonNode spec, String parent, List<ObjectNode> out, int[] counter, int depth) {
        if (!spec.isObject() || depth > 32) {
            throw new PersistenceException(source + ": every entity spec must be an object (nested at most 32 deep)", null);
        }
        String id = spec.path("id").isTextual() ? spec.get("id").textValue() : "place-entity-" + (++counter[0]);
        JsonNode wrapped = spec.get("components");
        ObjectNode components = F.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = wrapped != null && wrapped.isObject() ? wrapped.fields() : spec.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (wrapped == null && ("children".equals(field.getKey()) || "id".equals(field.getKey()))) {
                continue;
            }
            components.set(field.getKey(), field.getValue());
        }
        if (!components.has("transform")) {
            ArrayNode identity = components.putObject("transform").putArray("matrix");
            for (int i = 0; i < 16; i++) {
                identity.add(i % 5 == 0 ? 1.0 : 0.0);
            }
        }
        if (parent != null) {
            components.putObject("relationships").put("parent", parent);
        }
        ObjectNode entity = F.objectNode();
        entity.put("id", id);
        entity.set("components", components);
        out.add(entity);
        for (JsonNode child : spec.path("children")) {
            flatten(source, child, id, out, counter, depth + 1);
        }
    }

    private static JsonNode readJson(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new PersistenceException("cannot read " + path + ": " + e.getMessage(), e);
        }
        ParseResult<JsonNode> parsed = ProtocolJson.read(bytes);
        if (parsed instanceof ParseResult.Failure<JsonNode> failure) {
            throw new PersistenceException(path + " is corrupt: " + failure.reason(), null);
        }
        return ((ParseResult.Success<JsonNode>) parsed).value();
    }
}
