package dev.alloplace.testing;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * A stand-in app for gateway tests, on the JDK alone: writes its environment, working directory
 * and pid to the file named by its first argument, says something on stdout and stderr, then
 * waits to be stopped. With "stubborn" it ignores SIGTERM (a shutdown hook that never ends), so
 * only SIGKILL stops it. It ends when its parent does, so a failed test leaves nothing behind.
 */
public final class RecordingApp {

    private RecordingApp() {
    }

    public static void main(String[] args) throws Exception {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        if (args.length > 1 && args[1].equals("stubborn")) {
            // Before the record: a test that has read it may send SIGTERM at once.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Path out = Path.of(args[0]);
        Properties seen = new Properties();
        System.getenv().forEach(seen::setProperty);
        seen.setProperty("cwd", Path.of("").toAbsolutePath().toString());
        seen.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path temporary = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream stream = Files.newOutputStream(temporary)) {
            seen.store(stream, null);
        }
        Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("hello from the app");
        System.out.flush();
        System.err.println("a line on stderr");
        Thread.sleep(600_000);
    }
}
