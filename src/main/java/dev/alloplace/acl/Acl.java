package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.guard.CompileResult;
import dev.alloplace.guard.Guard;
import dev.alloplace.guard.HostEnvironment;
import dev.alloplace.guard.MatchResult;
import dev.alloplace.guard.StepBudget;
import dev.alloplace.protocol.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place's interaction access-control list: ordered allow/deny rules over the whole
 * interaction message, first match wins, else the default policy. Owned by the place thread;
 * not thread-safe. Compiling happens once when a rule is added, so deciding costs only matches.
 */
public final class Acl {

    private static final Logger LOG = LoggerFactory.getLogger(Acl.class);
    private static final String ID_PREFIX = "rule-";

    private final AclSettings settings;
    private final AclRule defaultRule;
    private final List<AclRule> rules = new ArrayList<>();
    private long nextId = 1;
    private long exhaustedMatches;

    public Acl(AclSettings settings) {
        this.settings = settings;
        this.defaultRule = new AclRule(AclRule.DEFAULT_ID, settings.defaultPolicy(),
                Guard.compile("_", settings.guardLimits()).orElseThrow());
    }

    public AclSettings settings() {
        return settings;
    }

    /** The rules in the order they are checked. */
    public List<AclRule> rules() {
        return List.copyOf(rules);
    }

    /** The pseudo-rule that decides when no rule matches. */
    public AclRule defaultRule() {
        return defaultRule;
    }

    /** How many rule matches ran out of evaluation steps (and so did not match) since start. */
    public long exhaustedMatches() {
        return exhaustedMatches;
    }

    /** Appends a rule at the end. */
    public AclChange add(AclEffect effect, String source) {
        return add(rules.size(), effect, source);
    }

    /** Inserts a rule at {@code position} (0 = checked first, size = last) with a fresh id. */
    public AclChange add(int position, AclEffect effect, String source) {
        return insert(position, null, effect, source);
    }

    /**
     * Inserts a rule keeping a known id, as when restoring persisted rules. Later generated ids
     * never collide with it.
     */
    public AclChange restore(String id, AclEffect effect, String source) {
        if (id == null || id.isEmpty() || id.equals(AclRule.DEFAULT_ID) || find(id).isPresent()) {
            return new AclChange.Rejected(new AclError(AclError.INVALID_RULE, "rule id \"" + id
                    + "\" is empty, reserved or already used"));
        }
        return insert(rules.size(), id, effect, source);
    }

    private AclChange insert(int position, String id, AclEffect effect, String source) {
        if (effect == null) {
            return new AclChange.Rejected(new AclError(AclError.INVALID_EFFECT, "effect must be allow or deny"));
        }
        if (rules.size() >= settings.maxRules()) {
            return new AclChange.Rejected(new AclError(AclError.TOO_MANY_RULES,
                    "the ACL already holds " + rules.size() + " rules, the limit"));
        }
        if (position < 0 || position > rules.size()) {
            return new AclChange.Rejected(new AclError(AclError.INVALID_POSITION,
                    "position " + position + " is outside 0.." + rules.size()));
        }
        CompileResult compiled = Guard.compile(source, settings.guardLimits(), AclFunctions.DECLARED);
        if (compiled instanceof CompileResult.Failed failed) {
            return new AclChange.Rejected(new AclError(AclError.INVALID_RULE, failed.error().toString()));
        }
        String ruleId = id != null ? id : freshId();
        noteId(ruleId);
        AclRule rule = new AclRule(ruleId, effect, ((CompileResult.Compiled) compiled).guard());
        rules.add(position, rule);
        LOG.info("ACL rule {} added at {}: {} {}", ruleId, position, effect.wireName(), source);
        return new AclChange.Added(rule, position);
    }

    private String freshId() {
        String id;
        do {
            id = ID_PREFIX + nextId++;
        } while (find(id).isPresent());
        return id;
    }

    private void noteId(String id) {
        if (id.startsWith(ID_PREFIX)) {
            try {
                long n = Long.parseLong(id.substring(ID_PREFIX.length()));
                if (n >= nextId && n < Long.MAX_VALUE) {
                    nextId = n + 1;
                }
            } catch (NumberFormatException notGenerated) {
                LOG.debug("ACL rule id {} is not a generated one", id);
            }
        }
    }

    /** Removes the rule with this id; false if there is none. */
    public boolean remove(String id) {
        Optional<AclRule> rule = find(id);
        rule.ifPresent(r -> {
            rules.remove(r);
            LOG.info("ACL rule {} removed: {} {}", r.id(), r.effect().wireName(), r.source());
        });
        return rule.isPresent();
    }

    public Optional<AclRule> find(String id) {
        for (AclRule r : rules) {
            if (r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Decides with helper functions that see nothing (every helper call is a guard error). */
    public AclDecision decide(JsonNode interaction) {
        return decide(interaction, AclFunctions.environment(AclWorld.EMPTY));
    }

    /**
     * Checks the interaction (its envelope as the place parsed it, {@link Interaction#toJson})
     * against each rule in order; the first rule whose pattern and guard match decides. A rule whose guard errs or runs out
     * of steps does not match, exactly as a failing Elixir guard.
     */
    public AclDecision decide(JsonNode interaction, HostEnvironment helpers) {
        return decide(interaction, helpers, new StepBudget(Long.MAX_VALUE));
    }

    /**
     * As {@link #decide(JsonNode, HostEnvironment)}, adding the guard steps all the rules spent
     * to {@code spent}, so that the place can charge them to the sender.
     */
    public AclDecision decide(JsonNode interaction, HostEnvironment helpers, StepBudget spent) {
        for (AclRule rule : rules) {
            var result = rule.guard().match(interaction, helpers, spent);
            if (result.matched()) {
                return verdict(rule);
            }
            if (result instanceof MatchResult.StepsExhausted) {
                exhaustedMatches++;
            }
        }
        return verdict(defaultRule);
    }

    /** Same as {@link #decide(JsonNode, HostEnvironment)} with the helpers answered from {@code world}. */
    public AclDecision decide(JsonNode interaction, AclWorld world) {
        return decide(interaction, AclFunctions.environment(world));
    }

    /** Same as {@link #decide(JsonNode, HostEnvironment, StepBudget)} with the helpers answered from {@code world}. */
    public AclDecision decide(JsonNode interaction, AclWorld world, StepBudget spent) {
        return decide(interaction, AclFunctions.environment(world), spent);
    }

    private static AclDecision verdict(AclRule rule) {
        return rule.effect() == AclEffect.ALLOW ? new AclDecision.Allowed(rule) : new AclDecision.Denied(rule);
    }
}
