package dev.alloplace.place;

/**
 * One connection's identity challenges: how many it asked for, and the one it may still answer
 * in its announce (the latest; each new challenge replaces the one before). Owned by the place
 * thread.
 */
final class ChallengeState {

    /** A server nonce handed out, with the client nonce it answered and when. */
    record Issued(byte[] clientNonce, byte[] serverNonce, long issuedNanos) {
    }

    private int asked;
    private Issued current;

    int asked() {
        return asked;
    }

    void issue(Issued challenge) {
        asked++;
        current = challenge;
    }

    /** The challenge to answer now, or null; either way there is none afterwards (single use). */
    Issued take() {
        Issued taken = current;
        current = null;
        return taken;
    }
}
