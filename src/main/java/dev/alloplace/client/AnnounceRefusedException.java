package dev.alloplace.client;

/** The place refused the announce with {@code ["announce","error",code,message]}. */
public final class AnnounceRefusedException extends RuntimeException {

    private final int code;

    public AnnounceRefusedException(int code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
