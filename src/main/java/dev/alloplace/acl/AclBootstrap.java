package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the ACL at start. Rules changed through interactions are saved in the rule file, and
 * once that file exists it wins over the configuration (delete it to return to the configured
 * rules); otherwise the configured rules are used.
 *
 * <p>Configured rules are a list (YAML or JSON tree) whose entries are either
 * {@code {deny: "<guard>"}} / {@code {allow: "<guard>"}} or {@code ["deny", "<guard>"]}.
 */
public final class AclBootstrap {

    private AclBootstrap() {
    }

    /** The ACL and where its rules came from, or the reason it could not be built. */
    public sealed interface Loaded permits Loaded.Ready, Loaded.Failed {

        record Ready(Acl acl, String origin) implements Loaded {
        }

        record Failed(String message) implements Loaded {
        }
    }

    public static Loaded load(AclSettings settings, JsonNode configuredRules, AclFile file) {
        Acl acl = new Acl(settings);
        Optional<List<AclFile.Entry>> saved;
        try {
            saved = file.load();
        } catch (IOException e) {
            return new Loaded.Failed("cannot read ACL rule file " + file.path() + ": " + e.getMessage());
        }
        if (saved.isPresent()) {
            Optional<String> problem = AclFile.restoreInto(acl, saved.get());
            return problem.<Loaded>map(p -> new Loaded.Failed("ACL rule file " + file.path() + ": " + p))
                    .orElseGet(() -> new Loaded.Ready(acl, file.path().toString()));
        }
        List<String> errors = new ArrayList<>();
        List<Map.Entry<AclEffect, String>> rules = parse(configuredRules, errors);
        if (!errors.isEmpty()) {
            return new Loaded.Failed(errors.get(0));
        }
        for (int i = 0; i < rules.size(); i++) {
            AclChange change = acl.add(rules.get(i).getKey(), rules.get(i).getValue());
            if (change instanceof AclChange.Rejected r) {
                return new Loaded.Failed("acl rule " + (i + 1) + ": " + r.error().message());
            }
        }
        return new Loaded.Ready(acl, "configuration");
    }

    private static List<Map.Entry<AclEffect, String>> parse(JsonNode list, List<String> errors) {
        List<Map.Entry<AclEffect, String>> out = new ArrayList<>();
        if (list == null || list.isNull() || list.isMissingNode()) {
            return out;
        }
        if (!list.isArray()) {
            errors.add("acl rules must be a list");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String effectText;
            JsonNode guard;
            if (entry.isArray() && entry.size() == 2) {
                effectText = entry.get(0).asText();
                guard = entry.get(1);
            } else if (entry.isObject() && entry.size() == 1) {
                effectText = entry.fieldNames().next();
                guard = entry.get(effectText);
            } else {
                errors.add("acl rule " + (i + 1) + ": write {deny: \"<guard>\"}, {allow: \"<guard>\"} or [\"deny\", \"<guard>\"]");
                return out;
            }
            Optional<AclEffect> effect = entry.isArray() && !entry.get(0).isTextual()
                    ? Optional.empty() : AclEffect.parse(effectText);
            if (effect.isEmpty()) {
                errors.add("acl rule " + (i + 1) + ": effect must be allow or deny, was " + effectText);
                return out;
            }
            if (!guard.isTextual()) {
                errors.add("acl rule " + (i + 1) + ": the guard must be a string");
                return out;
            }
            out.add(Map.entry(effect.get(), guard.textValue()));
        }
        return out;
    }
}
