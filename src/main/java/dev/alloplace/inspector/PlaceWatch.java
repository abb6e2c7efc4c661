package dev.alloplace.inspector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.acl.AccessControl;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.protocol.DisconnectReason;
import java.time.Clock;
import java.util.List;

/**
 * What the place keeps for the inspector, so that a page opened now shows the last minutes:
 * a once-a-second history of its figures, the recent events, and when each recent revision
 * became the latest (for agents' state lag). All of it lives on the place thread, in fixed
 * rings; with no one watching, the place spends a few additions per heartbeat on it and one
 * sample a second. Everything a request reads is computed on the place thread and bounded (see
 * {@link InspectorSettings}).
 */
public final class PlaceWatch implements PlaceExtension {

    private final InspectorSettings settings;
    private final StatsHistory history;
    private final EventLog events;
    private final RevisionTimes revisions = new RevisionTimes();
    private final AgentRates rates = new AgentRates();
    private double lastTick = Double.NaN;

    public PlaceWatch(InspectorSettings settings, Clock wallClock) {
        this.settings = settings;
        this.history = new StatsHistory(settings.historySeconds());
        this.events = new EventLog(settings.events(), wallClock);
    }

    /** What the agents view adds to each agent: its bandwidth and how far behind its state is. */
    public record AgentFigures(double bytesOutPerSecond, double bytesInPerSecond, Long lagRevisions, Double lagMillis,
            boolean lagAtLeast) {
    }

    @Override
    public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
        // The revision the previous heartbeat closed, closed about when that heartbeat began.
        revisions.note(place.world().revision(), Double.isNaN(lastTick) ? serverTime : lastTick);
        lastTick = serverTime;
        history.heartbeat(serverTime, place.placeStats(), place::networkStats);
    }

    @Override
    public void agentAnnounced(PlaceContext place, Agent agent, ObjectNode avatarSpec) {
        events.add(place.serverTime(), "join", agent.id(), agent.displayName(), "avatar " + agent.avatarId());
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        rates.forget(agent.id());
        String reason = agent.leaveReason().isEmpty() ? "left" : agent.leaveReason();
        if (agent.announced()) {
            events.add(place.serverTime(), "leave", agent.id(), agent.displayName(), reason);
        } else if (agent.leaveCode() != 0 && agent.leaveCode() != DisconnectReason.ANNOUNCE_TIMEOUT.code()) {
            // Refused before it announced (an outdated protocol, an ACL rule); connections that
            // never announce are not listed, so a scan cannot flood the log.
            events.add(place.serverTime(), "refused", agent.id(), agent.displayName(),
                    reason + " from " + agent.remote().getAddress().getHostAddress());
        }
    }

    /** Tells the event log of the ACL's denials. */
    public AccessControl.DenialListener denials() {
        return (place, agent, interaction, rule) -> events.addOrFold(place.serverTime(), "denied", agent.id(),
                agent.displayName(), interaction + " (rule " + rule + ")");
    }

    /** An admin kicked the agent at the request of {@code remote}; call on the place thread. */
    public void kicked(PlaceContext place, Agent agent, String remote) {
        events.add(place.serverTime(), "kick", agent.id(), agent.displayName(), "by the admin API from " + remote);
    }

    /** The agent's bandwidth and state lag now; call on the place thread. */
    public AgentFigures figures(PlaceContext place, Agent agent) {
        double now = place.serverTime();
        AgentRates.Rate rate = place.stats(agent).map(stats -> rates.rate(agent.id(), stats, now))
                .orElse(AgentRates.Rate.UNKNOWN);
        RevisionTimes.Lag lag = agent.announced() && agent.ackRevision() != 0
                ? revisions.lag(agent.ackRevision(), place.world().revision(), now) : null;
        return new AgentFigures(rate.bytesOutPerSecond(), rate.bytesInPerSecond(), lag == null ? null : lag.revisions(),
                lag == null ? null : lag.seconds() * 1000, lag != null && lag.atLeast());
    }

    public InspectorSettings settings() {
        return settings;
    }

    int historyCapacity() {
        return history.capacity();
    }

    int eventCapacity() {
        return events.capacity();
    }

    /** Call on the place thread. */
    List<HistorySample> history(double since) {
        return history.since(since);
    }

    /** Call on the place thread. */
    List<PlaceEvent> events(long since) {
        return events.since(since);
    }

    /** Call on the place thread. */
    WorldMap.View map(PlaceContext place) {
        return WorldMap.of(place, settings.maxEntities());
    }
}
