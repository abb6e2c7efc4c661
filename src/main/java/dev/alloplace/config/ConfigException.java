package dev.alloplace.config;

/** A setting could not be accepted; the message names the key and what would be accepted. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
