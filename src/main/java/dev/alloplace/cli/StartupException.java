package dev.alloplace.cli;

/**
 * The server could not start. {@code usageError} marks causes the user can fix in the
 * configuration (a corrupt data file, a missing admin token), which exit with code 2.
 */
final class StartupException extends Exception {
    private final boolean usageError;

    StartupException(String message, boolean usageError, Throwable cause) {
        super(message, cause);
        this.usageError = usageError;
    }

    boolean usageError() {
        return usageError;
    }
}
