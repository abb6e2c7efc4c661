package dev.alloplace.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C test peers in {@code src/test/c} with gcc against the system's libenet and runs
 * them. Without gcc or libenet the calling test is skipped, except under {@code CI=true}, where a
 * missing prerequisite fails it: CI must prove interoperability, never skip it.
 */
public final class NativePeers {

    private NativePeers() {
    }

    /** Path of the compiled program built from {@code src/test/c/<name>.c}. */
    public static Path build(String name) {
        return build(name, new String[0]);
    }

    /**
     * As {@link #build(String)}, linked with these libraries too (e.g. {@code "sodium"}); a
     * missing library's headers skip the test as a missing libenet does.
     */
    public static synchronized Path build(String name, String... libraries) {
        Path source = Path.of(System.getProperty("alloplace.testC", "src/test/c")).resolve(name + ".c");
        Path out = Path.of(System.getProperty("alloplace.buildDir", "target")).resolve("native").resolve(name);
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) >= 0) {
                return out;
            }
            Files.createDirectories(out.getParent());
            Process gcc;
            try {
                List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-o", out.toString(), source.toString(), "-lenet"));
                for (String library : libraries) {
                    command.add("-l" + library);
                }
                gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                missing("gcc is not installed (" + e.getMessage() + ")");
                throw new IllegalStateException("unreachable");
            }
            String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                if (output.contains("enet/enet.h") || output.contains("-lenet")) {
                    missing("libenet-dev is not installed: " + output.strip());
                }
                for (String library : libraries) {
                    if (output.contains(library + ".h") || output.contains("-l" + library)) {
                        missing("lib" + library + "-dev is not installed: " + output.strip());
                    }
                }
                throw new IllegalStateException("gcc failed for " + source + ":\n" + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void missing(String what) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI requires it: " + what);
        }
        assumeTrue(false, what + "; run scripts/test to install it");
    }

    /** A UDP port that was free a moment ago, for C programs that need one given. */
    public static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a program; its stdout lines are collected, stderr is kept for failure messages. */
    public static Running start(Path program, String... args) {
        return start(java.util.Map.of(), program, args);
    }

    /** Starts a program with extra environment variables. */
    public static Running start(java.util.Map<String, String> env, Path program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            return new Running(process);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running C peer. Close kills it. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        Running(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("io-error " + e.getMessage());
                }
            }, "native-peer-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line starting with {@code prefix}; fails with everything seen so far. */
        public String awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (true) {
                long left = deadline - System.currentTimeMillis();
                String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
                if (line == null) {
                    throw new AssertionError("no line starting with '" + prefix + "' within " + timeoutMillis
                            + " ms; output so far: " + seen + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
                }
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        public int awaitExit(long timeoutMillis) throws InterruptedException {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("C peer still running after " + timeoutMillis + " ms; output: " + seen);
            }
            return process.exitValue();
        }

        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
