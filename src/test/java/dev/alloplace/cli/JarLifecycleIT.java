package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real jar in a child process, the way a user or an init system does, and talks to
 * it with hand-made ENet datagrams (independent of our own ENet code).
 */
@Timeout(60)
class JarLifecycleIT {

    private static final Pattern LISTENING = Pattern.compile("on udp ([0-9.]+):(\\d+)");

    @TempDir
    Path dataDir;

    private Process process;
    private Thread reader;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> others = new ArrayList<>();

    /** A child server process, every line it printed so far, and the thread reading them. */
    private record Launched(Process process, List<String> output, Thread reader) {
        String text() {
            synchronized (output) {
                return String.join("\n", output);
            }
        }
    }

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        others.forEach(Process::destroyForcibly);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("alloplace.jar", "target/alloplace.jar"));
        assertThat(jar).as("the packaged jar (run through `mvn verify`)").exists();
        return jar;
    }

    private Process start(String... args) throws IOException {
        Launched launched = launch(Map.of(), output, args);
        process = launched.process();
        reader = launched.reader();
        return process;
    }

    /** Returns once everything the exited server printed has been read. */
    private void awaitOutput() throws InterruptedException {
        reader.join(Waits.PATIENCE.toMillis());
        assertThat(reader.isAlive()).as("the server's output was read to its end").isFalse();
    }

    private Launched another(Map<String, String> env, String... args) throws IOException {
        Launched launched = launch(env, Collections.synchronizedList(new ArrayList<>()), args);
        others.add(launched.process());
        return launched;
    }

    private static Launched launch(Map<String, String> env, List<String> lines, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ALLOPLACE_"));
        pb.environment().putAll(env);
        Process started = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {

                // the process ended
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        return new Launched(started, lines, reader);
    }

    private static void awaitLine(Launched server, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (server.text().contains(text)) {
                return;
            }
            if (!server.process().isAlive()) {
                server.reader().join(2000);
                throw new AssertionError("server ended with " + server.process().exitValue() + " before printing '" + text
                        + "'; output: " + server.text());
            }
            Waits.wallClock(Duration.ofMillis(20), "another process's output is read as it comes");
        }
        throw new AssertionError("server never printed '" + text + "'; output: " + server.text());
    }

    /** Waits until the process has ended and its output has been read to the end. */
    private static int exitOf(Launched server) throws Exception {
        assertThat(server.process().waitFor(20, TimeUnit.SECONDS)).as("ended; output: " + server.text()).isTrue();
        server.reader().join(5000);
        return server.process().exitValue();
    }

    private InetSocketAddress awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String line : output) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                    }
                }
            }
            assertThat(process.isAlive()).as("server still running; output: " + output).isTrue();
            Waits.wallClock(Duration.ofMillis(50), "another process's output is read as it comes");
        }
        throw new AssertionError("server never said where it listens; output: " + output);
    }

    /** The CONNECT datagram of ENET.md §20: a C client asking for 6 channels. */
    private static byte[] connectDatagram() {
        ByteBuffer b = ByteBuffer.allocate(52);
        b.putShort((short) 0x8FFF).putShort((short) 0x1234);
        b.put((byte) 0x82).put((byte) 0xFF).putShort((short) 1);
        b.putShort((short) 0).put((byte) 0xFF).put((byte) 0xFF);
        b.putInt(1400).putInt(65536).putInt(6).putInt(0).putInt(0);
        b.putInt(5000).putInt(2).putInt(2);
        b.put(new byte[] {0x5c, 0x39, (byte) 0xc4, 0x19}).putInt(0);
        return b.array();
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        socket.receive(p);
        byte[] data = new byte[p.getLength()];
        System.arraycopy(p.getData(), 0, data, 0, p.getLength());
        return data;
    }

    @Test
    void serverListensOnAnEphemeralPortAndExitsZeroOnSigterm() throws Exception {
        start("--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1", "--data-dir", dataDir.toString());
        InetSocketAddress address = awaitListening();
        assertThat(address.getPort()).isPositive();

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(3000);
            byte[] connect = connectDatagram();
            socket.send(new DatagramPacket(connect, connect.length, address));
            byte[] verify = receive(socket);
            assertThat(verify.length).isEqualTo(48);
            assertThat(verify[4] & 0xFF).as("VERIFY_CONNECT command byte").isEqualTo(0x83);
            assertThat(ByteBuffer.wrap(verify, 20, 4).getInt()).as("channel count").isEqualTo(6);
            assertThat(new byte[] {verify[44], verify[45], verify[46], verify[47]})
                    .as("connectID echoed byte for byte").containsExactly(0x5c, 0x39, (byte) 0xc4, 0x19);

            // Acknowledge VERIFY_CONNECT so the server counts us as connected.
            int serverPeerId = ByteBuffer.wrap(verify, 8, 2).getShort() & 0xFFFF;
            int session = verify[11] & 0xFF;
            int verifySentTime = ByteBuffer.wrap(verify, 2, 2).getShort() & 0xFFFF;
            ByteBuffer ack = ByteBuffer.allocate(10);
            ack.putShort((short) (serverPeerId | (session << 12)));
            ack.put((byte) 0x01).put((byte) 0xFF).putShort((short) 1).putShort((short) 1).putShort((short) verifySentTime);
            socket.send(new DatagramPacket(ack.array(), 10, address));
            Waits.wallClock(Duration.ofMillis(300), "the server, another process, takes the acknowledgement as it comes");

            process.destroy(); // SIGTERM
            boolean sawDisconnect = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!sawDisconnect && System.nanoTime() < deadline) {
                byte[] d;
                try {
                    d = receive(socket);
                } catch (SocketTimeoutException e) {
                    break;
                }
                sawDisconnect = containsDisconnect(d);
            }
            assertThat(sawDisconnect).as("connected peer is told about the shutdown").isTrue();
        }
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("exits within 5 s").isTrue();
        assertThat(process.exitValue()).as("exit code; output: " + output).isZero();
    }

    /** Walks the commands of a datagram from the server looking for DISCONNECT (4). */
    private static boolean containsDisconnect(byte[] d) {
        int flags = ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
        int pos = (flags & 0x8000) != 0 ? 4 : 2;
        int[] sizes = {0, 8, 48, 44, 8, 4, 6, 8, 24, 8, 12, 16, 24};
        while (pos + 4 <= d.length) {
            int cmd = d[pos] & 0x0F;
            if (cmd == 4) {
                return true;
            }
            if (cmd == 0 || cmd >= sizes.length) {
                return false;
            }
            int size = sizes[cmd];
            if (cmd == 6) {
                size += ByteBuffer.wrap(d, pos + 4, 2).getShort() & 0xFFFF;
            } else if (cmd == 7 || cmd == 9) {
                size += ByteBuffer.wrap(d, pos + 6, 2).getShort() & 0xFFFF;
            } else if (cmd == 8 || cmd == 12) {
                size += ByteBuffer.wrap(d, pos + 6, 2).getShort() & 0xFFFF;
            }
            pos += size;
        }
        return false;
    }

    @Test
    void portOutOfRangeStopsStartupWithExitCodeTwo() throws Exception {
        start("--port", "70000", "--data-dir", dataDir.toString());
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        awaitOutput();
        assertThat(String.join("\n", output))
                .contains("server.port").contains("70000").contains("from 0 to 65535");
    }

    @Test
    void unreadableConfigFileStopsStartupWithExitCodeTwo() throws Exception {
        Path missing = dataDir.resolve("missing.yaml");
        start("--config", missing.toString());
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        awaitOutput();
        assertThat(String.join("\n", output)).contains("missing.yaml").contains("does not exist");
    }

    @Test
    void unknownConfigKeyStopsStartupWithExitCodeTwo() throws Exception {
        Path file = dataDir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  colour: blue\n");
        start("--config", file.toString());
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        awaitOutput();
        assertThat(String.join("\n", output)).contains("unknown key server.colour");
    }

    @Test
    void versionFlagPrintsTheBuildVersion() throws Exception {
        start("--version");
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        awaitOutput();
        assertThat(String.join("\n", output)).containsPattern("alloplace \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void jsonLogLinesCarryTheFieldsTheDocsList() throws Exception {
        start("--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1", "--data-dir", dataDir.toString(),
                "--log-format", "json");
        awaitListening();
        String line;
        synchronized (output) {
            line = output.stream().filter(l -> l.contains("on udp")).findFirst().orElseThrow();
        }
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("dev.alloplace.cli.Daemon");
        assertThat(json.path("thread").asText()).isEqualTo("main");
        assertThat(json.path("message").asText()).contains("serving \"Unnamed place\" on udp 127.0.0.1:");
        assertThat(java.time.Instant.parse(json.path("@timestamp").asText()))
                .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());

        String docs = Files.readString(Path.of("docs", "configuration.md"));
        Matcher example = Pattern.compile("```json\n(\\{.*})\n```").matcher(docs.substring(docs.indexOf("## Logging")));
        assertThat(example.find()).as("configuration.md shows a JSON log line").isTrue();
        com.fasterxml.jackson.databind.JsonNode documented = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(example.group(1));
        List<String> realFields = new ArrayList<>();
        json.fieldNames().forEachRemaining(realFields::add);
        List<String> documentedFields = new ArrayList<>();
        documented.fieldNames().forEachRemaining(documentedFields::add);
        assertThat(documentedFields).as("the documented line has the real line's fields").isEqualTo(realFields);
        for (String field : realFields) {
            assertThat(docs).as("the field table lists " + field).contains("| `" + field + "` |");
        }
        process.destroy();
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryExitsTwoNamingTheFirst() throws Exception {
        start("--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1", "--data-dir", dataDir.toString());
        awaitListening();

        Launched second = another(Map.of(), "--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1",
                "--data-dir", dataDir.toString());

        assertThat(exitOf(second)).as("output: " + second.text()).isEqualTo(2);
        assertThat(second.text()).contains("in use by another alloplace server").contains("pid " + process.pid());
        assertThat(second.text().lines().filter(l -> l.contains("in use by another"))).as("said once").hasSize(1);
        assertThat(process.isAlive()).as("the first server keeps running").isTrue();
        process.destroy();
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void sigtermWhileStartingIsACleanShutdown() throws Exception {
        // The entities file is a FIFO: startup blocks reading it, between the shutdown hook and the bind.
        Path fifo = dataDir.resolve("entities.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Launched server = another(Map.of("ALLOPLACE_ENTITIES_FILE", fifo.toString()), "--bind", "127.0.0.1",
                "--port", "0", "--admin-port", "-1", "--data-dir", dataDir.resolve("data").toString());
        awaitLine(server, "starting alloplace");
        Waits.wallClock(Duration.ofMillis(500), "the server, another process, goes on to block on the FIFO");

        // SIGTERM while the main thread waits for the entities file (through the handle, which,
        // unlike Process.destroy, leaves the output stream open for reading).
        server.process().toHandle().destroy();
        awaitLine(server, "signal received while starting");
        Files.writeString(fifo, "[]"); // startup goes on, binds, and the hook stops it

        assertThat(exitOf(server)).as("output: " + server.text()).isZero();
        assertThat(server.text()).contains("shutting down").contains("stopped");
    }

    @Test
    void aStartupFailureIsReportedOnceAndCreatesNothing() throws Exception {
        Path data = dataDir.resolve("not-yet");
        Launched server = another(Map.of(), "--admin-bind", "0.0.0.0", "--admin-port", "0", "--port", "0",
                "--data-dir", data.toString());
        assertThat(exitOf(server)).isEqualTo(2);
        assertThat(server.text().lines().filter(l -> l.contains("admin.token"))).as(server.text()).hasSize(1);
        assertThat(data).as("the token is checked before the data directory is made").doesNotExist();
    }

    @Test
    void aMistypedEnvironmentVariableIsReportedAtStartup() throws Exception {
        Launched server = another(Map.of("ALLOPLACE_PROT", "4000"), "--bind", "127.0.0.1", "--port", "0",
                "--admin-port", "-1", "--data-dir", dataDir.toString());
        awaitLine(server, "serving");
        assertThat(server.text()).contains("WARN").contains("ALLOPLACE_PROT is not a setting and is ignored; "
                + "did you mean ALLOPLACE_PORT?");
        server.process().toHandle().destroy();
        assertThat(exitOf(server)).isZero();
    }
}
