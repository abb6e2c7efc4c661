package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code announce}: the version check (an outdated client gets allonet's error and a 1003
 * disconnect), the avatar spawned from {@code spawn_avatar}, the answer with the avatar id and
 * place name, then the world at once. From here on the transport counts the connection as a
 * member rather than a newcomer.
 */
final class AnnounceHandler {

    private static final Logger log = LoggerFactory.getLogger(AnnounceHandler.class);
    private static final String OUTDATED_MESSAGE = "Please update your app. Outdated network protocol.";

    private final LoopContext place;
    private final Extensions extensions;
    private final StateDelivery delivery;
    private final Transport transport;

    AnnounceHandler(LoopContext place, Extensions extensions, StateDelivery delivery, Transport transport) {
        this.place = place;
        this.extensions = extensions;
        this.delivery = delivery;
        this.transport = transport;
    }

    void announce(Agent agent, Interaction interaction) {
        ArrayNode body = interaction.body();
        if (agent.announced()) {
            place.answer(agent, interaction, Interaction.body("announce", "error", "already announced"));
            return;
        }
        JsonNode version = body.get(2);
        if (body.size() < 7 || !"version".equals(body.path(1).asText()) || version == null || !version.isNumber()
                || !"identity".equals(body.path(3).asText()) || !body.get(4).isObject()
                || !"spawn_avatar".equals(body.path(5).asText()) || !body.get(6).isObject()) {
            place.answer(agent, interaction, Interaction.body("announce", "error", "invalid request"));
            return;
        }
        if (version.asInt() != agent.layout().version() || version.asDouble() != version.asInt()) {
            log.info("agent {} announced protocol {} on a protocol {} connection", agent.id(), version,
                    agent.layout().version());
            int outdated = DisconnectReason.PROTOCOL_OUTDATED.code();
            place.answer(agent, interaction, Interaction.body("announce", "error", outdated, OUTDATED_MESSAGE));
            place.kick(agent, outdated);
            return;
        }
        ObjectNode announcedSpec = (ObjectNode) body.get(6);
        ObjectNode avatarSpec = announcedSpec.deepCopy();
        avatarSpec.remove("avatar");
        SpawnResult result = place.spawn(agent, avatarSpec);
        if (result instanceof SpawnResult.Refused refused) {
            place.answer(agent, interaction, Interaction.body("announce", "error", refused.reason()));
            return;
        }
        String avatarId = ((SpawnResult.Spawned) result).rootId();
        agent.announce((ObjectNode) body.get(4).deepCopy(), avatarId);
        agent.intent(agent.intent().withEntityId(avatarId));
        transport.markAdmitted(agent.connection());
        var line = log.atInfo().addKeyValue("agent", agent.id());
        if (agent.verifiedKey() != null) {
            line = line.addKeyValue("public_key", agent.verifiedKey());
        }
        line.log("agent {} announced as \"{}\" ({}) with avatar {}", agent.id(), agent.displayName(),
                agent.verifiedKey() == null ? "unverified" : "verified key " + agent.verifiedKey(), avatarId);
        place.answer(agent, interaction, Interaction.body("announce", avatarId, place.name()));
        extensions.each("after announce of", agent.id(), extension -> extension.agentAnnounced(place, agent, announcedSpec));
        delivery.sendWorldNow(agent, place.nanoTime());
    }
}
