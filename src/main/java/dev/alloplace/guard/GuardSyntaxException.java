package dev.alloplace.guard;

/**
 * A rejected guard source, for callers that treat a bad rule as fatal (config loading at start).
 * Everything on the place loop uses {@link CompileResult} instead.
 */
public final class GuardSyntaxException extends RuntimeException {

    private final transient GuardError error;

    public GuardSyntaxException(GuardError error) {
        super(error.toString());
        this.error = error;
    }

    public GuardError error() {
        return error;
    }
}
