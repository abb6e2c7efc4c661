package dev.alloplace.place;

import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactions between agents: to the owner of the {@code to} entity, with every routed request
 * remembered until its response comes back, so a response reaches only the agent that asked,
 * once. Requests that wait too long, or whose recipient leaves, get an error answer. Owned by the
 * place thread.
 */
final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** A request routed to another agent, waiting for that agent's response. */
    private record Pending(String key, Agent requester, Agent responder, Interaction request, long createdNanos) {
    }

    private final PlaceSettings settings;
    private final LoopContext place;
    private final PlaceMetrics metrics;
    private final Map<String, Pending> pending = new HashMap<>();
    private final ArrayDeque<Pending> byAge = new ArrayDeque<>();
    private final Map<Agent, int[]> waiting = new HashMap<>();

    Router(PlaceSettings settings, LoopContext place, PlaceMetrics metrics) {
        this.settings = settings;
        this.place = place;
        this.metrics = metrics;
    }

    /** A request, oneway (or addressed publication) for the owner of {@code interaction.to()}. */
    void toEntity(Agent agent, Interaction interaction) {
        Optional<Agent> owner = place.ownerOf(interaction.to());
        if (owner.isEmpty()) {
            metrics.count(interaction, InteractionOutcome.NO_RECIPIENT);
            place.answerIfRequest(agent, interaction, PlaceContext.error(interaction.name(), "invalid request"));
            return;
        }
        if (interaction.type() == InteractionType.REQUEST) {
            int[] mine = waiting.computeIfAbsent(agent, key -> new int[1]);
            if (mine[0] >= settings.maxPendingRequestsPerAgent()) {
                place.answer(agent, interaction, PlaceContext.error(interaction.name(), "too many pending requests"));
                return;
            }
            String key = key(owner.get(), interaction.requestId(), interaction.from());
            if (pending.containsKey(key)) {
                place.answer(agent, interaction, PlaceContext.error(interaction.name(), "duplicate request id"));
                return;
            }
            Pending request = new Pending(key, agent, owner.get(), interaction, place.nanoTime());
            pending.put(key, request);
            byAge.add(request);
            mine[0]++;
        }
        metrics.count(interaction, InteractionOutcome.ROUTED);
        place.send(owner.get(), interaction);
    }

    /** A response: delivered only if it answers a request routed to its sender. */
    void response(Agent agent, Interaction response) {
        Pending request = pending.remove(key(agent, response.requestId(), response.to()));
        if (request == null) {
            metrics.count(response, InteractionOutcome.UNREQUESTED);
            log.debug("response {} from {} answers no request", response.requestId(), agent.id());
            return;
        }
        settled(request);
        metrics.count(response, InteractionOutcome.ROUTED);
        place.send(request.requester(), response);
    }

    /** Answers the requests that waited longer than {@code place.request_timeout_ms}. */
    void expire(long now) {
        long timeout = settings.requestTimeout().toNanos();
        while (!byAge.isEmpty() && now - byAge.peekFirst().createdNanos() >= timeout) {
            Pending oldest = byAge.pollFirst();
            if (pending.remove(oldest.key(), oldest)) {
                settled(oldest);
                place.answer(oldest.requester(), oldest.request(), PlaceContext.error(oldest.request().name(), "timeout"));
            }
        }
        if (byAge.size() > 4 * pending.size() + 64) {
            byAge.removeIf(request -> pending.get(request.key()) != request);
        }
    }

    /** The agent left: its own requests are forgotten, those waiting for it are answered. */
    void left(Agent agent) {
        waiting.remove(agent);
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending request = it.next().getValue();
            if (request.requester() == agent) {
                it.remove();
            } else if (request.responder() == agent) {
                it.remove();
                settled(request);
                place.answer(request.requester(), request.request(),
                        PlaceContext.error(request.request().name(), "recipient disconnected"));
            }
        }
    }

    private void settled(Pending request) {
        int[] theirs = waiting.get(request.requester());
        if (theirs != null && --theirs[0] == 0) {
            waiting.remove(request.requester());
        }
    }

    private static String key(Agent responder, String requestId, String requesterEntity) {
        return responder.id() + '\u0000' + requestId + '\u0000' + requesterEntity;
    }
}
