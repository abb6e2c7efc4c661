package dev.alloplace.identity;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.time.Duration;

/**
 * Limits of identity proofs.
 *
 * @param challengeTtl how long a server nonce from {@code identity_challenge} may be used for an
 *     announce; after that (or once used) it is worthless
 * @param maxChallengesPerConnection {@code identity_challenge} requests one connection may make
 *     in its life (each costs the place a signature)
 * @param maxPendingSignatures signatures and verifications waiting for the place's signature
 *     thread, place-wide; beyond it a challenge or a signed announce is refused as busy
 */
public record IdentitySettings(Duration challengeTtl, int maxChallengesPerConnection, int maxPendingSignatures) {

    public IdentitySettings {
        if (challengeTtl.isNegative() || challengeTtl.isZero() || maxChallengesPerConnection < 1 || maxPendingSignatures < 1) {
            throw new IllegalArgumentException("identity limits must be positive");
        }
    }

    /** The {@code identity.*} settings. */
    public static IdentitySettings from(Config config) {
        return new IdentitySettings(Duration.ofMillis(config.get(Settings.IDENTITY_CHALLENGE_TTL_MS)),
                config.get(Settings.IDENTITY_MAX_CHALLENGES), config.get(Settings.IDENTITY_MAX_PENDING_SIGNATURES));
    }

    /** 10 s to use a challenge, 4 challenges per connection, 1024 signatures waiting. */
    public static IdentitySettings defaults() {
        return new IdentitySettings(Duration.ofSeconds(10), 4, 1024);
    }
}
