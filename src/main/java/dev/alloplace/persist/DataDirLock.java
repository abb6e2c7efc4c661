package dev.alloplace.persist;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Holds {@code data_dir/alloplace.lock} with an OS file lock for as long as the server runs, so
 * that a second server on the same directory stops instead of overwriting {@code place.json}
 * and {@code acl.json} behind the first one's back. The file names the holder (pid, host, start
 * time) for the second server's message. The lock goes with the process, even on SIGKILL; the
 * file stays (deleting it would let a third server lock a new file while a second still holds the
 * old one) and is rewritten by the next holder.
 */
public final class DataDirLock implements AutoCloseable {

    public static final String FILE_NAME = "alloplace.lock";
    private static final int MAX_HOLDER_BYTES = 4096;

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another server holds the directory; {@link #holder()} is what it wrote about itself. */
    public static final class HeldException extends Exception {
        private final String holder;

        HeldException(Path file, String holder) {
            super("the data directory " + file.getParent() + " is in use by another alloplace server (" + holder
                    + "); stop it or give this one another data_dir");
            this.holder = holder;
        }

        public String holder() {
            return holder;
        }
    }

    /** Locks {@code directory} (which must exist) or says who holds it. */
    public static DataDirLock acquire(Path directory) throws HeldException, IOException {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM (two servers in one process)
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close();
            throw new HeldException(file, holder);
        }
        try {
            byte[] me = describeThisProcess().getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            ByteBuffer buffer = ByteBuffer.wrap(me);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            channel.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new DataDirLock(channel, lock);
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read what is there, up to the cap
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    private static String describeThisProcess() {
        return "pid " + ProcessHandle.current().pid() + " on " + hostName() + ", started "
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()) + "\n";
    }

    /** The kernel's host name without a name lookup (which can hang on a badly set up host). */
    private static String hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).strip();
            }
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "unknown host" : env;
    }

    /** Releases the lock; the file stays for the next holder to rewrite. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or, at the latest, with the process
        }
    }
}
