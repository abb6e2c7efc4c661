package dev.alloplace.place;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Place handlers by interaction name. */
public final class PlaceHandlers {

    private final Map<String, PlaceHandler> handlers = new HashMap<>();

    public void register(String name, PlaceHandler handler) {
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("a handler for " + name + " is already registered");
        }
    }

    Optional<PlaceHandler> find(String name) {
        return Optional.ofNullable(handlers.get(name));
    }
}
