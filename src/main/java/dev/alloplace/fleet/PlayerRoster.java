package dev.alloplace.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who is in the place, as Agones should see it: the ids of the agents that announced and have
 * not left. The place thread writes it through the extension callbacks (which only record and
 * signal, never wait); the fleet's thread reads it and reports it.
 */
final class PlayerRoster implements PlaceExtension {

    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Runnable changed;
    private final LongSupplier nanoClock;
    private volatile long lastDepartureNanos;

    PlayerRoster(Runnable changed, LongSupplier nanoClock) {
        this.changed = changed;
        this.nanoClock = nanoClock;
        this.lastDepartureNanos = nanoClock.getAsLong();
    }

    @Override
    public void agentAnnounced(PlaceContext place, Agent agent, ObjectNode avatarSpec) {
        if (present.add(agent.id())) {
            changed.run();
        }
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        if (present.contains(agent.id())) {
            // Written before the removal, so whoever sees the place empty sees when it became so.
            lastDepartureNanos = nanoClock.getAsLong();
            present.remove(agent.id());
            changed.run();
        }
    }

    List<String> snapshot() {
        return List.copyOf(present);
    }

    boolean isEmpty() {
        return present.isEmpty();
    }

    /** When an announced agent last left (or the roster was made): while empty, since when it is. */
    long lastDepartureNanos() {
        return lastDepartureNanos;
    }
}
