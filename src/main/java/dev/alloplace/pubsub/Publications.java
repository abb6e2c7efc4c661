package dev.alloplace.pubsub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.Interaction;

/**
 * Publications in the place: {@code subscribe}/{@code unsubscribe} with guard patterns, and
 * delivery of each publication, unchanged, once to every agent with a matching subscription.
 */
public final class Publications implements PlaceExtension {

    private final SubscriptionRegistry<String> registry;
    private final SubscriptionCommands<String> commands;
    private long delivered;
    private long dropped;

    public Publications(PubSubSettings settings) {
        this.registry = new SubscriptionRegistry<>(settings);
        this.commands = new SubscriptionCommands<>(registry);
    }

    @Override
    public void install(PlaceHandlers handlers) {
        handlers.register(SubscriptionCommands.SUBSCRIBE,
                (place, agent, interaction) -> (ArrayNode) commands.handle(agent.id(), interaction.body()));
        handlers.register(SubscriptionCommands.UNSUBSCRIBE,
                (place, agent, interaction) -> (ArrayNode) commands.handle(agent.id(), interaction.body()));
    }

    @Override
    public boolean publish(PlaceContext place, Agent agent, Interaction publication) {
        var recipients = registry.match(publication.body());
        if (recipients.isEmpty()) {
            dropped++;
        }
        for (String recipient : recipients) {
            place.agent(recipient).ifPresent(to -> {
                delivered++;
                place.send(to, publication);
            });
        }
        return true;
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        registry.removeAgent(agent.id());
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        return dropped;
    }
}
