package dev.alloplace.server;

/**
 * The server could not start. {@code configurationProblem} marks causes the user fixes in the
 * configuration (a missing admin token), as opposed to the environment (a port in use).
 */
public final class ServerStartException extends Exception {
    private final boolean configurationProblem;

    public ServerStartException(String message, boolean configurationProblem, Throwable cause) {
        super(message, cause);
        this.configurationProblem = configurationProblem;
    }

    public boolean configurationProblem() {
        return configurationProblem;
    }
}
