package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the rule list as JSON, {@code {"format": 1, "rules": [{"id", "effect", "guard"}, ...]}},
 * so rules changed through interactions survive a restart. Writes go to a temporary file that is
 * then moved over the old one, so a crash leaves either the old or the new list, never half of
 * one. A file of the first releases (a bare list of rules, format 0) is read and rewritten in the
 * current format; a format this version does not know stops startup rather than lose rules.
 */
public final class AclFile {

    /** The format {@link #save} writes. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(AclFile.class);

    private final Path path;

    public AclFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** One persisted rule as read back, before compiling. */
    public record Entry(String id, String effect, String guard) {
    }

    public void save(List<AclRule> rules) throws IOException {
        write(rules.stream().map(AclRule::toJson).toList());
    }

    private void write(List<? extends JsonNode> rules) throws IOException {
        ObjectNode document = JSON.createObjectNode().put("format", FORMAT);
        ArrayNode array = document.putArray("rules");
        rules.forEach(array::add);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), document);
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The saved entries, or empty when nothing was saved yet; a malformed file, or one of a format
     * this version does not know, is an IOException. A format 0 file is migrated on the way.
     */
    public Optional<List<Entry>> load() throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(path.toFile());
        JsonNode rules;
        boolean legacy = false;
        if (root != null && root.isArray()) {
            rules = root;
            legacy = true;
        } else if (root != null && root.isObject() && root.path("format").isInt() && root.path("rules").isArray()) {
            if (root.get("format").intValue() != FORMAT) {
                throw new IOException(path + " has format " + root.get("format").intValue() + "; this version of alloplace reads "
                        + "format " + FORMAT + " (and 0); it was written by another version");
            }
            rules = root.get("rules");
        } else {
            throw new IOException(path + ": expected {\"format\": " + FORMAT + ", \"rules\": [...]}, a JSON object with a list of rules");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode n : rules) {
            if (!n.isObject() || !n.path("id").isTextual() || !n.path("effect").isTextual()
                    || !n.path("guard").isTextual()) {
                throw new IOException(path + ": each rule needs string fields id, effect and guard: " + n);
            }
            out.add(new Entry(n.get("id").textValue(), n.get("effect").textValue(), n.get("guard").textValue()));
        }
        if (legacy) {
            List<JsonNode> copy = new ArrayList<>();
            rules.forEach(copy::add);
            write(copy);
            log.info("rewrote {} in format {} ({} rules; it was a bare list of rules, format 0)", path, FORMAT, out.size());
        }
        return Optional.of(out);
    }

    /**
     * Replaces nothing: restores the entries into an empty ACL in order. Returns the first
     * refusal, if any, so the caller can stop the server with a clear message.
     */
    public static Optional<String> restoreInto(Acl acl, List<Entry> entries) {
        for (Entry e : entries) {
            Optional<AclEffect> effect = AclEffect.parse(e.effect());
            if (effect.isEmpty()) {
                return Optional.of("rule " + e.id() + ": effect must be allow or deny, was " + e.effect());
            }
            AclChange change = acl.restore(e.id(), effect.get(), e.guard());
            if (change instanceof AclChange.Rejected r) {
                return Optional.of("rule " + e.id() + ": " + r.error().message());
            }
        }
        return Optional.empty();
    }
}
