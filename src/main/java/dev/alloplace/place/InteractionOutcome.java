package dev.alloplace.place;

import java.util.Locale;

/** What became of an interaction, as counted in {@code alloplace_interactions_total{outcome}}. */
enum InteractionOutcome {
    HANDLED, ROUTED, DENIED, FORBIDDEN, UNKNOWN, NO_RECIPIENT, UNREQUESTED;

    final String tag = name().toLowerCase(Locale.ROOT);

    /** Handled by the place or passed on to its recipients. */
    boolean accepted() {
        return this == HANDLED || this == ROUTED;
    }
}
