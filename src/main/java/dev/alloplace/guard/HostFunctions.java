package dev.alloplace.guard;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Functions the embedding program offers to guards beyond the built-ins (for example the ACL's
 * {@code owner_of/1}). Declared by name and arity at compile time, so that a call to an unknown
 * function is a compile error and not a silent false; implemented at match time by a
 * {@link HostEnvironment}.
 */
public record HostFunctions(Map<String, Integer> arities) {

    private static final Pattern NAME = Pattern.compile("[a-z_][A-Za-z0-9_]*[?!]?");

    public HostFunctions {
        arities = Map.copyOf(arities);
        arities.forEach((name, arity) -> {
            if (!NAME.matcher(name).matches() || arity < 0) {
                throw new IllegalArgumentException("bad host function " + name + "/" + arity);
            }
        });
    }

    public static HostFunctions none() {
        return new HostFunctions(Map.of());
    }

    /** The declared arity, or -1 when the name is not declared. */
    public int arity(String name) {
        return arities.getOrDefault(name, -1);
    }
}
