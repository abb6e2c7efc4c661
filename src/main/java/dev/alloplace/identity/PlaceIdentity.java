package dev.alloplace.identity;

import java.util.Objects;

/** Who the place is (its key) and the limits of the proofs it takes from agents. */
public record PlaceIdentity(IdentityKey key, IdentitySettings settings) {

    public PlaceIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(settings, "settings");
    }

    /** A place with a fresh key kept nowhere: for places built without a data directory (tests). */
    public static PlaceIdentity ephemeral() {
        return new PlaceIdentity(IdentityKey.generate(), IdentitySettings.defaults());
    }
}
