package dev.alloplace.assets;

import java.time.Duration;

/**
 * Limits of the asset store and exchange.
 *
 * @param maxStoreBytes disk space the store may use; least recently used assets are evicted
 * @param chunkSize largest payload of one data message (the protocol's 1 MiB)
 * @param maxAssetBytes assets announced larger than this are refused (must be ≤ maxStoreBytes)
 * @param maxAssemblyBytes total announced size of all transfers being assembled at once (they
 *     stream to temporary files, so this bounds disk, while memory stays at one chunk)
 * @param maxWantedAssets how many different assets may be fetched from agents at once
 * @param requestTimeout how long a transfer may wait for a source's next message before that
 *     source is given up
 * @param fsync whether stored files (and their directory) are forced to disk before they become
 *     visible; off only for tests
 */
public record AssetSettings(
        long maxStoreBytes,
        int chunkSize,
        long maxAssetBytes,
        long maxAssemblyBytes,
        int maxWantedAssets,
        Duration requestTimeout,
        boolean fsync) {

    public static final int PROTOCOL_CHUNK_SIZE = 1024 * 1024;

    public AssetSettings {
        if (chunkSize < 1 || chunkSize > PROTOCOL_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize must be in 1.." + PROTOCOL_CHUNK_SIZE);
        }
        if (maxAssetBytes < 0 || maxAssetBytes > maxStoreBytes) {
            throw new IllegalArgumentException("maxAssetBytes must be in 0..maxStoreBytes");
        }
        if (maxAssemblyBytes < maxAssetBytes) {
            throw new IllegalArgumentException("maxAssemblyBytes must be >= maxAssetBytes");
        }
        if (maxWantedAssets < 1) {
            throw new IllegalArgumentException("maxWantedAssets must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    public static AssetSettings defaults() {
        return new AssetSettings(1L << 30, PROTOCOL_CHUNK_SIZE, 256L << 20, 512L << 20, 256,
                Duration.ofSeconds(30), true);
    }

    public AssetSettings withMaxStoreBytes(long bytes) {
        return new AssetSettings(bytes, chunkSize, Math.min(maxAssetBytes, bytes), maxAssemblyBytes,
                maxWantedAssets, requestTimeout, fsync);
    }

    public AssetSettings withFsync(boolean on) {
        return new AssetSettings(maxStoreBytes, chunkSize, maxAssetBytes, maxAssemblyBytes,
                maxWantedAssets, requestTimeout, on);
    }
}
