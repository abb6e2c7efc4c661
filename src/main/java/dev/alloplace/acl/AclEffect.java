package dev.alloplace.acl;

import java.util.Optional;

/** What a matching rule does. Parsed case-sensitively: "Deny" is not a rule effect. */
public enum AclEffect {
    ALLOW("allow"),
    DENY("deny");

    private final String wireName;

    AclEffect(String wireName) {
        this.wireName = wireName;
    }

    /** "allow" or "deny", as written in rules, config and messages. */
    public String wireName() {
        return wireName;
    }

    public static Optional<AclEffect> parse(String text) {
        for (AclEffect e : values()) {
            if (e.wireName.equals(text)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
