package dev.alloplace.assets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The name of an asset: {@code asset:sha256:} followed by the 64 lowercase hex digits of the
 * SHA-256 of its whole content. Because the name is the hash, anyone holding bytes can prove
 * they are the asset, which is what lets the place accept them from any agent.
 */
public record AssetId(String hex) {

    public static final String PREFIX = "asset:sha256:";
    private static final HexFormat HEX = HexFormat.of();

    public AssetId {
        if (!isLowerHex64(hex)) {
            throw new IllegalArgumentException("not 64 lowercase hex digits: " + hex);
        }
    }

    /** Parses {@code asset:sha256:<64 lowercase hex>}; empty for anything else. */
    public static Optional<AssetId> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hex = text.substring(PREFIX.length());
        return isLowerHex64(hex) ? Optional.of(new AssetId(hex)) : Optional.empty();
    }

    /** The id of {@code content}. */
    public static AssetId of(byte[] content) {
        MessageDigest digest = sha256();
        digest.update(content);
        return fromDigest(digest.digest());
    }

    /** The id whose hash is {@code sha256} (32 bytes). */
    public static AssetId fromDigest(byte[] sha256) {
        return new AssetId(HEX.formatHex(sha256));
    }

    /** A fresh SHA-256 digest; the JDK always provides one. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The wire form, {@code asset:sha256:<hex>}. */
    @Override
    public String toString() {
        return PREFIX + hex;
    }

    private static boolean isLowerHex64(String hex) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
