package dev.alloplace.fleet;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.place.Place;
import dev.alloplace.place.PlaceExtension;
import java.util.List;
import java.util.Map;

/**
 * The place's part in a fleet manager that starts, allocates and retires places (Agones), or
 * no part at all. The server wires it in three steps: its extensions join the place, it starts
 * once the place listens, and it stops before the place does.
 */
public interface Fleet {

    /** A place on its own: nothing to tell anyone. */
    Fleet NONE = new Fleet() {
        @Override
        public List<PlaceExtension> extensions() {
            return List.of();
        }

        @Override
        public void start(Place place) {
        }

        @Override
        public void stop() {
        }
    };

    /**
     * The fleet the configuration asks for; {@code env} is the process environment (where Agones
     * says where its sidecar listens).
     *
     * @throws IllegalArgumentException when the {@code fleet.*} settings cannot be used together
     */
    static Fleet from(Config config, Map<String, String> env) {
        AgonesSettings settings = AgonesSettings.from(config, env);
        if (!settings.enabled()) {
            return NONE;
        }
        if (settings.problem() != null) {
            throw new IllegalArgumentException(settings.problem());
        }
        return new AgonesFleet(settings, config.get(Settings.PLACE_NAME));
    }

    List<PlaceExtension> extensions();

    /**
     * The place listens and its loop has started. The fleet asks it whether it keeps up (its
     * health, what {@code /readyz} answers) and may rename it (on its own thread, through
     * {@link Place#call}). Returns at once.
     */
    void start(Place place);

    /** The server is stopping (SIGTERM or otherwise): say so, briefly, and let go. */
    void stop();
}
