package dev.alloplace.assets;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
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
                out.write(ByteBuffer.wrap(content));
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

    /**
     * Starts receiving an asset chunk by chunk into a temporary file of the store, hashing as it
     * goes, so memory stays at one chunk whatever its size. {@link #finish} or
     * {@link Upload#abort} ends it; a crash leaves a temp file that the next start deletes.
     */
    public Upload begin(AssetId id) throws IOException {
        Path temp = Files.createTempFile(directory, id.hex() + ".", ".upload" + TEMP_SUFFIX);
        try {
            return new Upload(id, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Stores a complete upload if its bytes hash to its id and it is no larger than an asset may
     * be; false (and the temp file gone) otherwise.
     */
    public boolean finish(Upload upload) {
        AssetId id = upload.id;
        try {
            upload.out.close();
            if (!AssetId.fromDigest(upload.digest.digest()).equals(id) || upload.written > settings.maxAssetBytes()) {
                upload.abort();
                return false;
            }
            if (contains(id)) {
                upload.abort();
                return true;
            }
            if (settings.fsync()) {
                try (FileChannel sync = FileChannel.open(upload.temp, StandardOpenOption.WRITE)) {
                    sync.force(true);
                }
            }
            Path target = directory.resolve(id.hex());
            try {
                Files.move(upload.temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(upload.temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.error("could not store asset {}: {}", id, e.toString());
            upload.abort();
            return false;
        }
        sizes.put(id.hex(), upload.written);
        totalBytes += upload.written;
        evict(id.hex());
        return true;
    }

    /** An asset being received: a temp file and the running sha256 of what was written to it. */
    public static final class Upload {
        private final AssetId id;
        private final Path temp;
        private final FileChannel out;
        private final MessageDigest digest = AssetId.sha256();
        private long written;

        private Upload(AssetId id, Path temp, FileChannel out) {
            this.id = id;
            this.temp = temp;
            this.out = out;
        }

        /** Appends one chunk. */
        public void append(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            digest.update(bytes);
            written += bytes.length;
        }

        /** Bytes received so far. */
        public long written() {
            return written;
        }

        /** Gives up: the temp file is deleted. */
        public void abort() {
            try {
                out.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("could not delete the partial upload {}: {}", temp, e.toString());
            }
        }
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
