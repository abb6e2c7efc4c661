package dev.alloplace.acl;

/** The outcome of adding a rule. */
public sealed interface AclChange permits AclChange.Added, AclChange.Rejected {

    /** The rule now sits at {@code position} (0 is checked first). */
    record Added(AclRule rule, int position) implements AclChange {
    }

    record Rejected(AclError error) implements AclChange {
    }
}
