package dev.alloplace.loadgen;

/** The run could not go on; the message says what was being done and why, for the operator. */
public final class LoadFailedException extends Exception {
    public LoadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
