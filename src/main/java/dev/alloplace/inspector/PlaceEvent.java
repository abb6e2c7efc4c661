package dev.alloplace.inspector;

/**
 * Something that happened to an agent, as the inspector lists it. Repeats of a denial are
 * folded into one event whose {@code count} grows; each change gives it a new {@code seq}, so
 * a reader asking for what is newer than the last {@code seq} it saw gets it again.
 *
 * @param id stable for the event's life
 * @param seq grows with every addition or update, across all events
 * @param time place clock ({@code server_time}) of the latest occurrence
 * @param at wall-clock time of the latest occurrence, ISO-8601 UTC
 * @param kind {@code join}, {@code leave}, {@code kick} or {@code denied}
 * @param detail the avatar (join), the reason (leave), who kicked (kick), interaction and rule (denied)
 */
public record PlaceEvent(long id, long seq, double time, String at, String kind, String agent, String name,
        String detail, int count) {

    /** The longest text an event keeps of anything an agent chose (a name, an interaction). */
    static final int MAX_TEXT = 120;

    public PlaceEvent {
        name = clip(name);
        detail = clip(detail);
    }

    static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    boolean sameAs(String otherKind, String otherAgent, String otherDetail) {
        return kind.equals(otherKind) && agent.equals(otherAgent) && detail.equals(clip(otherDetail));
    }
}
