package dev.alloplace.inspector;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent events, at most {@code capacity}: a new one pushes out the oldest. A denial
 * that repeats one of the last few events (same agent, interaction and rule) updates that event
 * instead of adding one, so an agent hammering a denied interaction cannot wash the joins and
 * leaves out of the log on its own. Owned by the place thread.
 */
final class EventLog {

    /** How far back a repeated denial is looked for. */
    private static final int FOLD_WINDOW = 8;

    private final int capacity;
    private final Clock wallClock;
    private final ArrayDeque<PlaceEvent> events = new ArrayDeque<>();
    private long lastId;
    private long lastSeq;

    EventLog(int capacity, Clock wallClock) {
        this.capacity = capacity;
        this.wallClock = wallClock;
    }

    void add(double time, String kind, String agent, String name, String detail) {
        events.addLast(new PlaceEvent(++lastId, ++lastSeq, time, now(), kind, agent, name, detail, 1));
        if (events.size() > capacity) {
            events.removeFirst();
        }
    }

    /** Adds the event, or folds it into the same one among the last few. */
    void addOrFold(double time, String kind, String agent, String name, String detail) {
        Iterator<PlaceEvent> recent = events.descendingIterator();
        for (int i = 0; i < FOLD_WINDOW && recent.hasNext(); i++) {
            PlaceEvent event = recent.next();
            if (event.sameAs(kind, agent, detail)) {
                recent.remove();
                events.addLast(new PlaceEvent(event.id(), ++lastSeq, time, now(), kind, agent, event.name(), event.detail(),
                        event.count() + 1));
                return;
            }
        }
        add(time, kind, agent, name, detail);
    }

    int capacity() {
        return capacity;
    }

    /** The events changed after {@code seq}, oldest first. */
    List<PlaceEvent> since(long seq) {
        List<PlaceEvent> newer = new ArrayList<>();
        for (Iterator<PlaceEvent> it = events.descendingIterator(); it.hasNext(); ) {
            PlaceEvent event = it.next();
            if (event.seq() <= seq) {
                break;
            }
            newer.add(event);
        }
        Collections.reverse(newer);
        return newer;
    }

    private String now() {
        return java.time.Instant.now(wallClock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }
}
