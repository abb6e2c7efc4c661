package dev.alloplace.client;

/**
 * A signed announce could not go ahead: the place refused the identity challenge, or the place's
 * own proof did not hold (a wrong signature, or another key than the one expected).
 */
public final class IdentityRefusedException extends RuntimeException {

    public IdentityRefusedException(String message) {
        super(message);
    }
}
