package dev.alloplace.assets;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
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
 *     visible (always, from a configuration)
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
    // Not in the catalog.
    private static final long MAX_ASSET_BYTES = 256L << 20;
    private static final int MAX_WANTED_ASSETS = 256;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

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

    /**
     * The {@code assets.*} settings of {@code config}; the largest asset is the smallest of the
     * caps, and at most 256 MiB.
     */
    public static AssetSettings from(Config config) {
        long store = config.get(Settings.ASSET_STORE_BYTES);
        long assembly = config.get(Settings.ASSET_ASSEMBLY_BYTES);
        long perAgent = config.get(Settings.ASSET_ASSEMBLY_BYTES_PER_AGENT);
        long largest = Math.min(Math.min(MAX_ASSET_BYTES, store), Math.min(assembly, perAgent));
        return new AssetSettings(store, PROTOCOL_CHUNK_SIZE, largest, assembly, perAgent, MAX_WANTED_ASSETS,
                REQUEST_TIMEOUT, true);
    }

    public static AssetSettings defaults() {
        return from(Config.defaults());
    }
}
