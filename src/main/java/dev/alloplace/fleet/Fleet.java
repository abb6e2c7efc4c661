package dev.alloplace.fleet;

import dev.alloplace.config.Config;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The place's part in a fleet manager that starts, allocates and retires places (Agones), or
 * no part at all. The server wires it in four steps: its extensions join the place, it may wrap
 * the transport, it starts once the place listens, and it stops before the place does.
 */
public interface Fleet {

    /** A place on its own: nothing to tell anyone. */
    Fleet NONE = new Fleet() {
        @Override
        public List<PlaceExtension> extensions() {
            return List.of();
        }

        @Override
        public Transport wrap(Transport transport) {
            return transport;
        }

        @Override
        public void start(BooleanSupplier healthy) {
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
        return new AgonesFleet(settings, config.get(dev.alloplace.config.Settings.PLACE_NAME));
    }

    List<PlaceExtension> extensions();

    Transport wrap(Transport transport);

    /**
     * The place listens and its loop has started; {@code healthy} is the place's own word on
     * whether it keeps up (what {@code /readyz} answers). Returns at once.
     */
    void start(BooleanSupplier healthy);

    /** The server is stopping (SIGTERM or otherwise): say so, briefly, and let go. */
    void stop();
}
