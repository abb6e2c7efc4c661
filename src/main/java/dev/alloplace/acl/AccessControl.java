package dev.alloplace.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.guard.StepBudget;
import dev.alloplace.place.Agent;
import dev.alloplace.place.FairShare;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.state.EntityView;
import dev.alloplace.transport.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACL in the place: every interaction is decided before it is handled or routed; denied
 * ones get {@code interaction_denied} (and, for requests, an error response so the requester
 * is not left waiting); {@code acl_list}/{@code acl_add}/{@code acl_remove} manage the rules,
 * which are saved atomically in the data directory before any change is acknowledged.
 */
public final class AccessControl implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
    /** Written on first start so agents cannot rewrite the rules unless an operator allows it. */
    public static final String PROTECT_RULES =
            "[\"interaction\", _, _, \"place\", _, [Cmd | _]] where Cmd in [\"acl_add\", \"acl_remove\"]";

    private final Acl acl;
    private final AclCommands commands;
    private final AclFile file;
    private final Set<String> ownerKeys;
    private final DenialListener listener;
    private volatile long denials;

    /** Hears of every denial, on the place thread (the inspector's event log). */
    @FunctionalInterface
    public interface DenialListener {
        void denied(PlaceContext place, Agent agent, String interaction, String ruleId);
    }

    /**
     * Loads the saved rules, else the configured ones ({@code configuredRules}, may be null),
     * else seeds the protecting rule; a bad file or rule throws naming it.
     */
    public AccessControl(AclSettings settings, AclFile file, JsonNode configuredRules) {
        this(settings, file, configuredRules, List.of(), (place, agent, interaction, rule) -> { });
    }

    /**
     * As above; agents that proved one of {@code ownerKeys} (base64url public keys) at announce
     * may always manage the ACL through interactions, whatever the rules say; {@code listener}
     * hears of every denial.
     */
    public AccessControl(AclSettings settings, AclFile file, JsonNode configuredRules, Collection<String> ownerKeys,
            DenialListener listener) {
        this.file = file;
        this.ownerKeys = Set.copyOf(ownerKeys);
        this.listener = listener;
        boolean seed = configuredRules == null && !Files.exists(file.path());
        AclBootstrap.Loaded loaded = AclBootstrap.load(settings,
                configuredRules == null ? JsonNodeFactory.instance.arrayNode() : configuredRules,
                file);
        if (loaded instanceof AclBootstrap.Loaded.Failed failed) {
            throw new IllegalArgumentException(failed.message());
        }
        this.acl = ((AclBootstrap.Loaded.Ready) loaded).acl();
        this.commands = new AclCommands(acl);
        if (seed) {
            acl.add(AclEffect.DENY, PROTECT_RULES);
            try {
                file.save(acl.rules());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file.path() + ": " + e.getMessage(), e);
            }
        }
        log.info("ACL: {} rules ({}), default {}", acl.rules().size(), ((AclBootstrap.Loaded.Ready) loaded).origin(),
                settings.defaultPolicy().wireName());
    }

    /** The rules and policy; call on the place thread. */
    public Acl acl() {
        return acl;
    }

    public long denials() {
        return denials;
    }

    /** Runs an ACL management body (from the admin API or an agent) and saves a change first. */
    public AclCommands.Outcome manage(JsonNode body) {
        AclCommands.Outcome outcome = commands.handle(body);
        if (outcome.changed()) {
            try {
                file.save(acl.rules());
            } catch (IOException e) {
                log.error("could not save the ACL to {}: {}", file.path(), e.toString());
                return new AclCommands.Outcome(Interaction.body(body.path(0).asText(), "error", "storage_failed",
                        "the rules changed but could not be saved: " + e.getMessage()), true);
            }
        }
        return outcome;
    }

    @Override
    public void install(PlaceHandlers handlers) {
        for (String name : List.of(AclCommands.LIST, AclCommands.ADD, AclCommands.REMOVE)) {
            handlers.register(name, (place, agent, interaction) -> (ArrayNode) manage(interaction.body()).response());
        }
    }

    @Override
    public boolean admit(PlaceContext place, Agent agent, Interaction interaction) {
        if (isManagement(interaction) && agent.verifiedKey() != null && ownerKeys.contains(agent.verifiedKey())) {
            log.info("{} from agent {}, an owner (key {}), passes without the rules", interaction.name(), agent.id(),
                    agent.verifiedKey());
            return true;
        }
        JsonNode view = interaction.toJson();
        StepBudget steps = new StepBudget(Long.MAX_VALUE);
        AclDecision decision = acl.decide(view, world(place), steps);
        place.charge(agent, steps.spent() / FairShare.GUARD_STEPS_PER_WORK_UNIT);
        if (decision instanceof AclDecision.Denied denied) {
            denials++;
            log.info("denied {} from agent {} by rule {}", interaction.name(), agent.id(), denied.rule().id());
            listener.denied(place, agent, interaction.name(), denied.rule().id());
            place.sendRaw(agent, agent.layout().commands(), ProtocolJson.write(denied.denialMessage(view)),
                    Delivery.RELIABLE);
            if (interaction.type() == InteractionType.REQUEST) {
                place.send(agent, new Interaction(InteractionType.RESPONSE, "place", "", interaction.requestId(),
                        PlaceContext.error(interaction.name(), "denied")));
            }
            if ("announce".equals(interaction.name()) && !agent.announced()) {
                place.kick(agent, DisconnectReason.KICKED.code());
            }
            return false;
        }
        return true;
    }

    /** The owners' public keys ({@code acl.owner_keys}). */
    public Set<String> ownerKeys() {
        return ownerKeys;
    }

    private static boolean isManagement(Interaction interaction) {
        return "place".equals(interaction.to()) && List.of(AclCommands.LIST, AclCommands.ADD, AclCommands.REMOVE)
                .contains(interaction.name());
    }

    private AclWorld world(PlaceContext place) {
        return new AclWorld() {
            @Override
            public Optional<String> ownerOf(String entityId) {
                return place.world().entity(entityId).map(EntityView::owner);
            }

            @Override
            public Optional<JsonNode> identityOf(String agentId) {
                return place.agent(agentId).map(Agent::identity).map(identity -> (JsonNode) identity);
            }

            @Override
            public Optional<String> verifiedKeyOf(String agentId) {
                return place.agent(agentId).map(Agent::verifiedKey);
            }

            @Override
            public boolean isOwnerKey(String publicKey) {
                return ownerKeys.contains(publicKey);
            }
        };
    }
}
