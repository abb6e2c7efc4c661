package dev.alloplace.inspector;

/**
 * One entity on the inspector's map: its world position (metres; the map shows x and z) and
 * what it is.
 *
 * @param kind {@code avatar} (an agent's avatar root), {@code place} (the place entity) or {@code entity}
 * @param label the agent's display name for an avatar, else empty
 */
public record MapMarker(String id, String owner, String kind, String label, double x, double y, double z) {
}
