package dev.alloplace.assets;

/** The {@code error_code} numbers of asset failures (allonet {@code asset.h}). */
public final class AssetErrorCode {

    /** The asset (or chunk) is not available. */
    public static final int NOT_AVAILABLE = 1;
    /** The request or data header was malformed. */
    public static final int MALFORMED = 2;
    /** The operation is not supported. */
    public static final int NOT_SUPPORTED = 3;

    private AssetErrorCode() {
    }
}
