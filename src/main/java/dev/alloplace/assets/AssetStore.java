package dev.alloplace.assets;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed assets on disk, one file per asset named by its hash. Writes go to a temp
 * file that is renamed into place, so a crash never leaves a half asset under a real name; the
 * store is rebuilt from the directory at start. Past {@code maxStoreBytes} the least recently
 * used assets are deleted. Owned by the place thread.
 */
public final class AssetStore {

    private static final Logger log = LoggerFactory.getLogger(AssetStore.class);
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final AssetSettings settings;
    private final LinkedHashMap<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
    private volatile long totalBytes;

    public AssetStore(Path directory, AssetSettings settings) {
        this.directory = directory;
        this.settings = settings;
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMP_SUFFIX)) {
                        Files.deleteIfExists(file);
                    } else if (AssetId.parse(AssetId.PREFIX + name).isPresent() && Files.isRegularFile(file)) {
                        long size = Files.size(file);
                        sizes.put(name, size);
                        totalBytes += size;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the asset store in " + directory, e);
        }
        evict(null);
        log.info("asset store {}: {} assets, {} bytes", directory, sizes.size(), totalBytes);
    }

    public boolean contains(AssetId id) {
        return sizes.containsKey(id.hex());
    }

    /** Size of a stored asset. */
    public OptionalLong size(AssetId id) {
        Long size = sizes.get(id.hex());
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    public int count() {
        return sizes.size();
    }

    public long totalBytes() {
        return totalBytes;
    }

    /**
     * Stores {@code content} if it hashes to {@code id}; false (and nothing written) otherwise
     * or when it is larger than an asset may be.
     */
    public boolean put(AssetId id, byte[] content) {
        if (!AssetId.of(content).equals(id) || content.length > settings.maxAssetBytes()) {
            return false;
        }
        if (contains(id)) {
            return true;
        }
        Path target = directory.resolve(id.hex());
        Path temp = directory.resolve(id.hex() + TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(content));
                if (settings.fsync()) {
                    out.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.error("could not store asset {}: {}", id, e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                log.debug("temp file {} left behind", temp);
            }
            return false;
        }
        sizes.put(id.hex(), (long) content.length);
        totalBytes += content.length;
        evict(id.hex());
        return true;
    }

    /** Bytes {@code [offset, offset+length)} of a stored asset, clipped to its end. */
    public Optional<byte[]> read(AssetId id, long offset, int length) {
        Long size = sizes.get(id.hex());
        if (size == null || offset < 0 || offset > size || length < 0) {
            return Optional.empty();
        }
        int count = (int) Math.min(length, size - offset);
        byte[] bytes = new byte[count];
        try (RandomAccessFile file = new RandomAccessFile(directory.resolve(id.hex()).toFile(), "r")) {
            file.seek(offset);
            file.readFully(bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            log.error("asset {} vanished or is unreadable: {}", id, e.toString());
            sizes.remove(id.hex());
            totalBytes -= size;
            return Optional.empty();
        }
    }

    private void evict(String keep) {
        Iterator<Map.Entry<String, Long>> oldest = sizes.entrySet().iterator();
        while (totalBytes > settings.maxStoreBytes() && oldest.hasNext()) {
            Map.Entry<String, Long> entry = oldest.next();
            if (entry.getKey().equals(keep)) {
                continue;
            }
            try {
                Files.deleteIfExists(directory.resolve(entry.getKey()));
            } catch (IOException e) {
                log.warn("could not evict asset {}: {}", entry.getKey(), e.toString());
                continue;
            }
            totalBytes -= entry.getValue();
            oldest.remove();
            log.debug("evicted asset {}", entry.getKey());
        }
    }
}
