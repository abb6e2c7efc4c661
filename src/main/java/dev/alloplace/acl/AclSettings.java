package dev.alloplace.acl;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.guard.GuardLimits;
import java.util.Objects;

/**
 * ACL settings.
 *
 * @param maxRules most rules the list holds; adding beyond is refused (each interaction is
 *                 checked against every rule up to the first match, so this bounds its cost)
 * @param defaultPolicy what happens to an interaction no rule matches
 * @param guardLimits limits for compiling and evaluating each rule
 */
public record AclSettings(int maxRules, AclEffect defaultPolicy, GuardLimits guardLimits) {

    public AclSettings {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Objects.requireNonNull(guardLimits, "guardLimits");
        if (maxRules < 1) {
            throw new IllegalArgumentException("maxRules must be at least 1, was " + maxRules);
        }
    }

    /** The {@code acl.*} settings of {@code config}, with default guard limits. */
    public static AclSettings from(Config config) {
        return new AclSettings(config.get(Settings.ACL_MAX_RULES),
                AclEffect.parse(config.get(Settings.ACL_DEFAULT_POLICY)).orElseThrow(), GuardLimits.defaults());
    }

    /** {@link Config#defaults()}: allow by default (the protocol's open place). */
    public static AclSettings defaults() {
        return from(Config.defaults());
    }
}
