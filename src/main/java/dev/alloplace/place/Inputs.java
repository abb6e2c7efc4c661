package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.IntentReader;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.transport.Delivery;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each message an agent sent becomes, by channel: commands are interactions that pass
 * admission and the extensions' screening, then go to the announce handler, a place handler,
 * the subscribers or the router; intents update the agent; clock requests are answered at once;
 * media and asset frames go to the extension that handles them. Bad input is counted and
 * ignored. Runs on the place thread, one message at a time, in the agent's turn.
 */
final class Inputs {

    private static final Logger log = LoggerFactory.getLogger(Inputs.class);
    private static final int MAX_CLOCK_BYTES = 4096;

    private final PlaceSettings settings;
    private final LoopContext place;
    private final PlaceHandlers handlers;
    private final Extensions extensions;
    private final Admission admission;
    private final AnnounceHandler announcer;
    private final IdentityGate identities;
    private final Router router;
    private final StateDelivery delivery;
    private final PlaceMetrics metrics;

    Inputs(PlaceSettings settings, LoopContext place, PlaceHandlers handlers, Extensions extensions, Admission admission,
            AnnounceHandler announcer, IdentityGate identities, Router router, StateDelivery delivery, PlaceMetrics metrics) {
        this.settings = settings;
        this.place = place;
        this.handlers = handlers;
        this.extensions = extensions;
        this.admission = admission;
        this.announcer = announcer;
        this.identities = identities;
        this.router = router;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    void received(Agent agent, int channel, byte[] payload) {
        if (agent.leaving()) {
            return;
        }
        Optional<ChannelRole> role = agent.layout().roleOf(channel);
        metrics.received(role.orElse(null), payload.length);
        if (role.isEmpty()) {
            ignore(agent, "message on channel " + channel + " outside the layout");
            return;
        }
        switch (role.get()) {
            case COMMANDS -> command(agent, payload);
            case STATE_DIFFS -> intent(agent, payload);
            case CLOCK -> clock(agent, payload);
            case ASSETS, AUDIO, VIDEO, MEDIA -> frame(agent, role.get(), payload);
        }
    }

    /**
     * An intent of an announced agent has arrived: it replaces any not yet read (intents are
     * state: of several that arrive between two turns of the loop, only the latest matters).
     * Returns true if the agent had none waiting, so the caller reads it with {@link #latestIntent}.
     */
    boolean intentArrived(Agent agent, byte[] payload) {
        metrics.received(ChannelRole.STATE_DIFFS, payload.length);
        boolean first = agent.queue().latestIntent == null;
        agent.queue().latestIntent = payload;
        return first;
    }

    /** Reads the agent's latest intent, if one arrived since the last time. */
    void latestIntent(Agent agent) {
        byte[] payload = agent.queue().latestIntent;
        agent.queue().latestIntent = null;
        if (payload != null && !agent.leaving()) {
            intent(agent, payload);
        }
    }

    private void ignore(Agent agent, String reason) {
        metrics.ignored();
        log.debug("ignored input from {}: {}", agent.id(), reason);
    }

    private void intent(Agent agent, byte[] payload) {
        if (payload.length > settings.maxIntentBytes()) {
            ignore(agent, "intent of " + payload.length + " bytes");
            return;
        }
        if (!(IntentReader.read(payload) instanceof ParseResult.Success<Intent> intent)) {
            ignore(agent, "unreadable intent");
            return;
        }
        if (agent.intent(intent.value().withEntityId(agent.avatarId()))) {
            delivery.acknowledged(agent, place.nanoTime());
        }
    }

    private void clock(Agent agent, byte[] payload) {
        if (payload.length > MAX_CLOCK_BYTES || !(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> json)
                || !json.value().isObject() || !json.value().path("client_time").isNumber()) {
            ignore(agent, "unreadable clock request");
            return;
        }
        ObjectNode answer = ((ObjectNode) json.value()).deepCopy();
        answer.put("server_time", place.serverTime());
        place.sendRaw(agent, agent.layout().clock(), ProtocolJson.write(answer), Delivery.UNRELIABLE);
    }

    private void frame(Agent agent, ChannelRole role, byte[] payload) {
        if (!extensions.first("on a " + role + " frame from", agent.id(),
                extension -> extension.frame(place, agent, role, payload), true)) {
            ignore(agent, role + " frame nobody handles");
        }
    }

    private void command(Agent agent, byte[] payload) {
        if (payload.length > settings.maxCommandBytes()) {
            ignore(agent, "command of " + payload.length + " bytes, limit " + settings.maxCommandBytes());
            return;
        }
        ParseResult<JsonNode> json = ProtocolJson.read(payload);
        if (json instanceof ParseResult.Failure<JsonNode> failure) {
            ignore(agent, failure.reason());
            return;
        }
        ParseResult<Interaction> parsed = Interaction.parse(((ParseResult.Success<JsonNode>) json).value(), payload);
        if (parsed instanceof ParseResult.Failure<Interaction> failure) {
            ignore(agent, failure.reason());
            return;
        }
        interaction(agent, ((ParseResult.Success<Interaction>) parsed).value());
    }

    private void interaction(Agent agent, Interaction interaction) {
        String refusal = admission.refusal(agent, interaction);
        if (refusal != null) {
            forbidden(agent, interaction, refusal);
            return;
        }
        if (Admission.isAnnounce(interaction)) {
            identities.announce(agent, interaction, this::screened);
        } else {
            screened(agent, interaction);
        }
    }

    /** Past admission (and, for an announce, the identity check): the extensions' screening, then the handling. */
    private void screened(Agent agent, Interaction interaction) {
        boolean admitted = !extensions.first("to screen", interaction.name(),
                extension -> !extension.admit(place, agent, interaction), true);
        if (!admitted) {
            metrics.count(interaction, InteractionOutcome.DENIED);
            return;
        }
        if (Admission.isAnnounce(interaction)) {
            metrics.count(interaction, InteractionOutcome.HANDLED);
            announcer.announce(agent, interaction);
        } else if (interaction.type() == InteractionType.RESPONSE) {
            router.response(agent, interaction);
        } else if ("place".equals(interaction.to())) {
            placeInteraction(agent, interaction);
        } else if (interaction.type() == InteractionType.PUBLICATION || interaction.to().isEmpty()) {
            publish(agent, interaction);
        } else {
            router.toEntity(agent, interaction);
        }
    }

    private void forbidden(Agent agent, Interaction interaction, String why) {
        log.debug("forbidden {} from {}: {}", interaction.name(), agent.id(), why);
        metrics.count(interaction, InteractionOutcome.FORBIDDEN);
        place.answerIfRequest(agent, interaction, Interaction.body("error", "forbidden_request", interaction.name()));
    }

    private void placeInteraction(Agent agent, Interaction interaction) {
        Optional<PlaceHandler> handler = handlers.find(interaction.name());
        if (handler.isEmpty()) {
            metrics.count(interaction, InteractionOutcome.UNKNOWN);
            place.answerIfRequest(agent, interaction, PlaceContext.error(interaction.name(), "invalid request"));
            return;
        }
        ArrayNode response;
        try {
            response = handler.get().handle(place, agent, interaction);
        } catch (RuntimeException e) {
            log.warn("{} from {} failed: {}", interaction.name(), agent.id(), e.toString());
            response = PlaceContext.error(interaction.name(), "invalid request");
        }
        metrics.count(interaction, InteractionOutcome.HANDLED);
        if (response != null) {
            place.answerIfRequest(agent, interaction, response);
        }
    }

    private void publish(Agent agent, Interaction publication) {
        if (extensions.first("to deliver publication", publication.name(),
                extension -> extension.publish(place, agent, publication), true)) {
            metrics.count(publication, InteractionOutcome.ROUTED);
            return;
        }
        metrics.count(publication, InteractionOutcome.NO_RECIPIENT);
        log.debug("publication {} from {} has no subscribers", publication.name(), agent.id());
    }
}
