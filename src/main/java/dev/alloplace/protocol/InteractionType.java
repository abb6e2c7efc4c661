package dev.alloplace.protocol;

import java.util.Optional;

/** The four kinds of interaction; {@code one-way} is the Elixir server's spelling of oneway. */
public enum InteractionType {
    REQUEST("request"),
    RESPONSE("response"),
    ONEWAY("oneway"),
    PUBLICATION("publication");

    private final String wire;

    InteractionType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<InteractionType> fromWire(String text) {
        if ("one-way".equals(text)) {
            return Optional.of(ONEWAY);
        }
        for (InteractionType type : values()) {
            if (type.wire.equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
