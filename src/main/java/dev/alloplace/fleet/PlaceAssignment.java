package dev.alloplace.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a GameServer's metadata asks of the place it runs, usually set by the allocation that
 * handed it to a room (GameServerAllocation {@code spec.metadata}):
 * <ul>
 * <li>annotation {@value #NAME_ANNOTATION}: the place name visors are told when they announce
 *     (any text up to 200 characters);</li>
 * <li>label {@value #PLACE_LABEL}: the room's key the allocation selects by; it is also the
 *     name when the annotation is absent;</li>
 * <li>annotation {@value #EMPTY_SHUTDOWN_ANNOTATION}: milliseconds the place may stay empty
 *     before it gives itself back, overriding {@code fleet.empty_shutdown_ms} (0 keeps it).</li>
 * </ul>
 * Values that do not fit are ignored; {@link #ignored} says which and why, for the log.
 */
public record PlaceAssignment(Optional<String> name, Optional<Duration> emptyShutdown, List<String> ignored) {

    public static final String NAME_ANNOTATION = "alloplace.dev/place-name";
    public static final String PLACE_LABEL = "alloplace.dev/place";
    public static final String EMPTY_SHUTDOWN_ANNOTATION = "alloplace.dev/empty-shutdown-ms";

    static final int MAX_NAME_LENGTH = 200;
    static final long MAX_EMPTY_SHUTDOWN_MS = 86_400_000L;

    public PlaceAssignment {
        ignored = List.copyOf(ignored);
    }

    public static PlaceAssignment of(GameServerView gameServer) {
        List<String> ignored = new ArrayList<>();
        String annotated = gameServer.annotations().get(NAME_ANNOTATION);
        Optional<String> name = usableName(annotated);
        if (annotated != null && name.isEmpty()) {
            ignored.add(NAME_ANNOTATION + " (a place name is 1 to " + MAX_NAME_LENGTH + " characters)");
        }
        name = name.or(() -> usableName(gameServer.labels().get(PLACE_LABEL)));
        String shutdown = gameServer.annotations().get(EMPTY_SHUTDOWN_ANNOTATION);
        Optional<Duration> emptyShutdown = Optional.ofNullable(shutdown).flatMap(PlaceAssignment::millis);
        if (shutdown != null && emptyShutdown.isEmpty()) {
            ignored.add(EMPTY_SHUTDOWN_ANNOTATION + " (milliseconds from 0 to " + MAX_EMPTY_SHUTDOWN_MS + ")");
        }
        return new PlaceAssignment(name, emptyShutdown, ignored);
    }

    private static Optional<String> usableName(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(text.strip());
    }

    private static Optional<Duration> millis(String text) {
        try {
            long ms = Long.parseLong(text.trim());
            return ms >= 0 && ms <= MAX_EMPTY_SHUTDOWN_MS ? Optional.of(Duration.ofMillis(ms)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
