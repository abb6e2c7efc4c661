package dev.alloplace.pubsub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.guard.StepBudget;
import dev.alloplace.place.Agent;
import dev.alloplace.place.FairShare;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.Interaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publications in the place: {@code subscribe}/{@code unsubscribe} with guard patterns, and
 * delivery of each publication, unchanged, once to every agent with a matching subscription.
 */
public final class Publications implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(Publications.class);
    /** Guard steps that cost one work unit of the publisher's share (see {@code FairShare}). */
    static final int STEPS_PER_WORK_UNIT = FairShare.GUARD_STEPS_PER_WORK_UNIT;

    private final PubSubSettings settings;
    private final SubscriptionRegistry<String> registry;
    private final SubscriptionCommands<String> commands;
    private long delivered;
    private long dropped;
    private long truncated;

    public Publications(PubSubSettings settings) {
        this.settings = settings;
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

    /**
     * Matching is the publisher's cost: what the subscriptions' guards spent on it is charged to
     * its share of the place thread, and bounded per publication.
     */
    @Override
    public boolean publish(PlaceContext place, Agent agent, Interaction publication) {
        StepBudget budget = new StepBudget(settings.maxStepsPerPublication());
        var recipients = registry.match(publication.body(), budget);
        place.charge(agent, budget.spent() / STEPS_PER_WORK_UNIT);
        if (budget.exhausted()) {
            truncated++;
            log.debug("publication {} from {} spent its {} guard steps before every subscription was tested",
                    publication.name(), agent.id(), settings.maxStepsPerPublication());
        }
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

    /** Publications whose step budget ran out before every subscription was tested. */
    public long truncated() {
        return truncated;
    }
}
