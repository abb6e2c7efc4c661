package dev.alloplace.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.guard.CompileResult;
import dev.alloplace.guard.Guard;
import dev.alloplace.guard.HostEnvironment;
import dev.alloplace.guard.StepBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who wants which publications. Agents subscribe with a guard pattern over the publication
 * body; a publication goes once to each agent with at least one matching subscription.
 * Owned by the place thread; not thread-safe. {@code A} is whatever the place identifies agents by.
 */
public final class SubscriptionRegistry<A> {

    private final PubSubSettings settings;
    private final Map<String, Subscription<A>> byId = new LinkedHashMap<>();
    private final Map<A, Set<String>> byAgent = new HashMap<>();
    private long nextId = 1;

    public SubscriptionRegistry(PubSubSettings settings) {
        this.settings = settings;
    }

    /** Compiles the pattern and records the subscription, within the per-agent limit. */
    public SubscribeResult subscribe(A agent, String patternSource) {
        Set<String> mine = byAgent.get(agent);
        if (mine != null && mine.size() >= settings.maxSubscriptionsPerAgent()) {
            return new SubscribeResult.Rejected(SubscribeResult.Rejected.TOO_MANY,
                    "already " + mine.size() + " subscriptions, the limit per agent");
        }
        CompileResult compiled = Guard.compile(patternSource, settings.guardLimits());
        if (compiled instanceof CompileResult.Failed failed) {
            return new SubscribeResult.Rejected(SubscribeResult.Rejected.INVALID_PATTERN, failed.error().toString());
        }
        String id = "sub-" + nextId++;
        byId.put(id, new Subscription<>(id, agent, ((CompileResult.Compiled) compiled).guard()));
        byAgent.computeIfAbsent(agent, a -> new LinkedHashSet<>()).add(id);
        return new SubscribeResult.Subscribed(id);
    }

    /** Removes the agent's subscription; false if it has none with that id (someone else's counts as none). */
    public boolean unsubscribe(A agent, String subscriptionId) {
        Subscription<A> s = byId.get(subscriptionId);
        if (s == null || !s.agent().equals(agent)) {
            return false;
        }
        byId.remove(subscriptionId);
        Set<String> mine = byAgent.get(agent);
        mine.remove(subscriptionId);
        if (mine.isEmpty()) {
            byAgent.remove(agent);
        }
        return true;
    }

    /** Drops every subscription of a departing agent; returns how many. */
    public int removeAgent(A agent) {
        Set<String> mine = byAgent.remove(agent);
        if (mine == null) {
            return 0;
        }
        mine.forEach(byId::remove);
        return mine.size();
    }

    /** The agent's subscriptions, oldest first. */
    public List<Subscription<A>> subscriptionsOf(A agent) {
        List<Subscription<A>> out = new ArrayList<>();
        byAgent.getOrDefault(agent, Set.of()).forEach(id -> out.add(byId.get(id)));
        return out;
    }

    public int size() {
        return byId.size();
    }

    /**
     * The agents to deliver a publication body to: each agent once, in order of its oldest
     * matching subscription; empty means drop the publication. Agents with one match already
     * are not tested again.
     */
    public List<A> match(JsonNode publicationBody) {
        return match(publicationBody, new StepBudget(Long.MAX_VALUE));
    }

    /**
     * As {@link #match(JsonNode)}, spending at most {@code budget}'s steps on all subscriptions
     * together (in subscription order); once it is gone the remaining subscriptions are not
     * tested. What was spent stays in the budget for the caller to charge.
     */
    public List<A> match(JsonNode publicationBody, StepBudget budget) {
        List<A> out = new ArrayList<>();
        Set<A> seen = new HashSet<>();
        for (Subscription<A> s : byId.values()) {
            if (budget.exhausted()) {
                break;
            }
            if (!seen.contains(s.agent()) && s.pattern().matches(publicationBody, HostEnvironment.NONE, budget)) {
                seen.add(s.agent());
                out.add(s.agent());
            }
        }
        return out;
    }
}
