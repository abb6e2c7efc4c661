package dev.alloplace.assets;

import java.time.Duration;

/**
 * Limits of the asset store and exchange.
 *
 * @param maxStoreBytes disk space the store may use; least recently used assets are evicted
 * @param chunkSize largest payload of one data message the place asks for (the protocol's 1 MiB)
 * @param maxAssetBytes assets announced larger than this are refused (at most every other cap)
 * @param maxAssemblyBytes bytes received for uploads not yet complete, summed over all of them.
 *     Uploads stream to temporary files in the store (memory stays at one chunk), so this bounds
 *     disk; a chunk that would pass it is refused, and the upload with it
 * @param maxAssemblyBytesPerAgent the same for the uploads one agent is the source of
 * @param maxWantedAssets how many different assets may be fetched from agents at once
 * @param requestTimeout how long a transfer may wait for a source's next message before that
 *     source is given up (and what it sent so far deleted)
 * @param fsync whether stored files (and their directory) are forced to disk before they become
 *     visible; off only for tests
 */
public record AssetSettings(
        long maxStoreBytes,
        int chunkSize,
        long maxAssetBytes,
        long maxAssemblyBytes,
        long maxAssemblyBytesPerAgent,
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
        if (maxAssemblyBytes < maxAssetBytes || maxAssemblyBytesPerAgent < maxAssetBytes) {
            throw new IllegalArgumentException("the assembly caps must be >= maxAssetBytes");
        }
        if (maxWantedAssets < 1) {
            throw new IllegalArgumentException("maxWantedAssets must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    public static AssetSettings defaults() {
        return new AssetSettings(1L << 30, PROTOCOL_CHUNK_SIZE, 256L << 20, 512L << 20, 256L << 20, 256,
                Duration.ofSeconds(30), true);
    }

    /** A store of {@code bytes}; the largest asset shrinks to fit if it must. */
    public AssetSettings withMaxStoreBytes(long bytes) {
        return new AssetSettings(bytes, chunkSize, Math.min(maxAssetBytes, bytes), maxAssemblyBytes,
                maxAssemblyBytesPerAgent, maxWantedAssets, requestTimeout, fsync);
    }

    /** Assembly caps, in total and per agent; the largest asset shrinks to fit them if it must. */
    public AssetSettings withAssembly(long total, long perAgent) {
        return new AssetSettings(maxStoreBytes, chunkSize, Math.min(maxAssetBytes, Math.min(total, perAgent)), total,
                perAgent, maxWantedAssets, requestTimeout, fsync);
    }

    public AssetSettings withRequestTimeout(Duration timeout) {
        return new AssetSettings(maxStoreBytes, chunkSize, maxAssetBytes, maxAssemblyBytes, maxAssemblyBytesPerAgent,
                maxWantedAssets, timeout, fsync);
    }

    public AssetSettings withFsync(boolean on) {
        return new AssetSettings(maxStoreBytes, chunkSize, maxAssetBytes, maxAssemblyBytes, maxAssemblyBytesPerAgent,
                maxWantedAssets, requestTimeout, on);
    }
}
