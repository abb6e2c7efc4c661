package dev.alloplace.guard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@code elixir} process running {@code elixir_oracle.exs}: asks real Elixir what
 * {@code match?/2} answers. Without {@code elixir} on the PATH (or at {@code -Dalloplace.elixir})
 * the calling test is skipped, except under {@code CI=true}, where that is a failure
 * (scripts/test installs Debian's elixir).
 */
final class ElixirOracle implements AutoCloseable {

    /** How Elixir runs a case: as a real guard, as ordinary code after the match, or evaluating a value. */
    enum Mode { GUARD, CODE, EVAL }

    /** One pattern and guard in Elixir's syntax, with the JSON texts of the values to try. */
    record Query(Mode mode, String pattern, String guard, List<String> values) {
        Query {
            values = List.copyOf(values);
        }
    }

    /**
     * Elixir's answer to one query: a boolean per value (GUARD, CODE), the JSON of each value
     * (EVAL; "error" when it raised, "unrepresentable" when it is no JSON value), or a compile error.
     */
    record Answer(List<Boolean> matches, List<String> evaluated, String compileError) {
        boolean compiled() {
            return compileError == null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory ESCAPING = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final int STDERR_KEPT = 8192;

    private final Process process;
    private final Path script;
    private final BufferedWriter toElixir;
    private final BufferedReader fromElixir;
    private final StringBuilder stderr = new StringBuilder();
    private final String version;

    private ElixirOracle(Process process, Path script) throws IOException {
        this.process = process;
        this.script = script;
        this.toElixir = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.fromElixir = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(this::drainStderr, "elixir-stderr");
        drain.setDaemon(true);
        drain.start();
        String ready = fromElixir.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IllegalStateException("elixir_oracle.exs did not start: " + ready + "\n" + stderrTail());
        }
        this.version = ready.substring("ready ".length());
    }

    /** Starts Elixir, or skips the test (fails it under CI=true) when Elixir is not installed. */
    static ElixirOracle start() {
        Path script;
        try (InputStream in = ElixirOracle.class.getResourceAsStream("elixir_oracle.exs")) {
            if (in == null) {
                throw new IllegalStateException("elixir_oracle.exs is missing from the test resources");
            }
            script = Files.createTempFile("alloplace-elixir-oracle", ".exs");
            Files.write(script, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(System.getProperty("alloplace.elixir", "elixir"), script.toString()).start();
        } catch (IOException e) {
            deleteQuietly(script);
            String what = "elixir is not installed (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI requires it: " + what);
            }
            String skip = what + "; the guard differential test is skipped: run scripts/test to install Debian's"
                    + " elixir package";
            System.out.println("ElixirOracle: " + skip);
            assumeTrue(false, skip);
            throw new IllegalStateException("unreachable");
        }
        try {
            return new ElixirOracle(process, script);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            deleteQuietly(script);
            throw new IllegalStateException("could not talk to elixir", e);
        }
    }

    /** "1.14.0 25": Elixir's version and the OTP release it runs on. */
    String version() {
        return version;
    }

    /** Sends one batch and waits for Elixir's answers, in order. */
    List<Answer> ask(List<Query> queries) {
        try {
            toElixir.write(encode(queries));
            toElixir.write('\n');
            toElixir.flush();
            String line = fromElixir.readLine();
            if (line == null) {
                throw new IllegalStateException("elixir exited:\n" + stderrTail());
            }
            JsonNode answers = JSON.readTree(line);
            List<Answer> out = new ArrayList<>(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                out.add(decode(queries.get(i).mode(), answers.get(i)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("talking to elixir failed:\n" + stderrTail(), e);
        }
    }

    private static Answer decode(Mode mode, JsonNode answer) {
        if (answer.isTextual()) {
            return new Answer(List.of(), List.of(), answer.textValue());
        }
        List<Boolean> matches = new ArrayList<>();
        List<String> evaluated = new ArrayList<>();
        for (JsonNode v : answer) {
            if (mode == Mode.EVAL) {
                evaluated.add(v.textValue());
            } else {
                matches.add(v.booleanValue());
            }
        }
        return new Answer(matches, evaluated, null);
    }

    /** The batch line; values are written as the exact JSON text the test parses on its own side. */
    private static String encode(List<Query> queries) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = ESCAPING.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("cases");
            for (Query q : queries) {
                g.writeStartObject();
                g.writeStringField("mode", q.mode().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("pattern", q.pattern());
                g.writeStringField("guard", q.guard());
                g.writeArrayFieldStart("values");
                for (String v : q.values()) {
                    g.writeRawValue(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    private void drainStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                    if (stderr.length() > 2 * STDERR_KEPT) {
                        stderr.delete(0, stderr.length() - STDERR_KEPT);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private String stderrTail() {
        synchronized (stderr) {
            int from = Math.max(0, stderr.length() - STDERR_KEPT);
            return stderr.substring(from);
        }
    }

    @Override
    public void close() {
        try {
            toElixir.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(script);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up
        }
    }
}
