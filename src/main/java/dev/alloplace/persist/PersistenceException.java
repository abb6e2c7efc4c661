package dev.alloplace.persist;

/** A file in the data directory cannot be used; startup stops rather than start empty. */
public final class PersistenceException extends RuntimeException {
    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
