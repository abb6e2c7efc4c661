package dev.alloplace.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key pair on disk, readable by its owner only (mode 0600):
 * {@code {"format": 1, "algorithm": "Ed25519", "public_key": "<base64url>", "private_key": "<base64url seed>"}}.
 * The place keeps its own in {@code data_dir/place-key.json}; {@code alloplace identity generate}
 * writes one for a client. A file is created whole or not at all, and never overwritten.
 */
public final class KeyFile {

    public static final int FORMAT = 1;
    /** The place's own key, in its data directory. */
    public static final String PLACE_KEY_FILE = "place-key.json";
    private static final int MAX_FILE_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFile() {
    }

    /** A key read from a file, or one just created there. */
    public record Loaded(IdentityKey key, boolean created) {
    }

    /** Reads the key in {@code file}; a missing, damaged or foreign file is an IOException saying which. */
    public static IdentityKey read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is no alloplace key file (larger than " + MAX_FILE_BYTES + " bytes)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + " is no alloplace key file (not JSON: " + e.getMessage() + ")", e);
        }
        if (json == null || !json.isObject() || json.path("format").asInt(-1) != FORMAT
                || !"Ed25519".equals(json.path("algorithm").asText())) {
            throw new IOException(file + " is no alloplace key file: expected {\"format\": 1, \"algorithm\": \"Ed25519\", ...}");
        }
        byte[] publicKey = Base64Url.decode(json.path("public_key").asText(null), Ed25519.PUBLIC_KEY_BYTES,
                Ed25519.PUBLIC_KEY_BYTES);
        byte[] seed = Base64Url.decode(json.path("private_key").asText(null), Ed25519.SEED_BYTES, Ed25519.SEED_BYTES);
        if (publicKey == null || seed == null) {
            throw new IOException(file + ": public_key and private_key must be base64url (no padding) of 32 bytes each");
        }
        warnIfShared(file);
        try {
            return IdentityKey.fromSeed(seed, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": the key pair is damaged (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes {@code key} to {@code file}, which must not exist yet ({@link FileAlreadyExistsException}
     * otherwise), readable and writable by its owner only.
     */
    public static void create(Path file, IdentityKey key) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("algorithm", "Ed25519");
        json.put("public_key", key.publicKeyText());
        json.put("private_key", Base64Url.encode(key.seed()));
        byte[] content = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a key file is never overwritten");
        }
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path temp = posix ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                // link(2) fails when the target exists: never two keys racing for one name.
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException exists) {
                throw exists;
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                Files.move(temp, target); // without hard links; still refuses an existing target
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the link itself is atomic
        }
    }

    /** The key in {@code file}, or a new one written there when there is none (first start). */
    public static Loaded loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(read(file), false);
        }
        IdentityKey key = IdentityKey.generate();
        try {
            create(file, key);
        } catch (FileAlreadyExistsException raced) {
            return new Loaded(read(file), false);
        }
        return new Loaded(key, true);
    }

    /** Whether only the owner may read and write {@code file} (true where the file system has no POSIX modes). */
    public static boolean ownerOnly(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return true;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        return OWNER_ONLY.containsAll(mode);
    }

    private static void warnIfShared(Path file) {
        try {
            if (!ownerOnly(file)) {
                log.warn("the key file {} may be read by others (mode {}); make it readable by its owner only: chmod 600 {}",
                        file, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot check the mode of {}: {}", file, e.toString());
        }
    }
}
