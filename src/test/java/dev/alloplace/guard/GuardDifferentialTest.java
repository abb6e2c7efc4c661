package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our guard engine against real Elixir (one long-lived {@code elixir} process): hand-written edge
 * cases, every operator and built-in over a table of operands, and random patterns over the
 * protocol's message shapes. Any disagreement fails the test and is printed with the source, the
 * Elixir text and the value. A case where our engine hits one of its limits (steps, value depth)
 * is listed but is no disagreement: the limits are the documented difference from Elixir.
 * Replay the random part with {@code -Dalloplace.guard.seed=<seed printed by the last run>};
 * {@code -Dalloplace.guard.patterns=N} (default 1500) makes it longer, {@code -Dalloplace.guard.shown=N}
 * (default 40) prints more disagreements.
 */
@Timeout(300)
class GuardDifferentialTest {

    private static final int BATCH_VALUES = 4000;
    private static final int SHOWN = Integer.getInteger("alloplace.guard.shown", 40);

    private static ElixirOracle elixir;

    /** Started by the first test that needs it, so that a missing Elixir skips each test with the reason. */
    private static ElixirOracle elixir() {
        if (elixir == null) {
            elixir = ElixirOracle.start();
            System.out.println("GuardDifferentialTest: Elixir/OTP " + elixir.version());
        }
        return elixir;
    }

    @AfterAll
    static void stopElixir() {
        if (elixir != null) {
            elixir.close();
        }
    }

    @Test
    void handWrittenEdgeCasesAnswerExactlyAsElixir() throws IOException {
        assertAgreement("hand-written", handWritten());
    }

    @Test
    void everyOperatorAndBuiltinAnswersExactlyAsElixirOverEveryOperandPair() {
        List<OperatorTables.Operation> ops = OperatorTables.operations();
        List<ElixirOracle.Query> evals = new ArrayList<>();
        for (OperatorTables.Operation op : ops) {
            evals.add(new ElixirOracle.Query(ElixirOracle.Mode.EVAL, vars(op.arity()), op.elixir(),
                    OperatorTables.inputs(op.arity())));
        }
        List<ElixirOracle.Answer> results = askInBatches(evals);
        List<DifferentialCase> cases = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            OperatorTables.Operation op = ops.get(i);
            ElixirOracle.Answer evaluated = results.get(i);
            assertThat(evaluated.compiled()).as("Elixir compiles %s: %s", op.elixir(), evaluated.compileError()).isTrue();
            List<String> inputs = OperatorTables.inputs(op.arity());
            List<String> withResult = new ArrayList<>();
            for (int k = 0; k < inputs.size(); k++) {
                String r = evaluated.evaluated().get(k);
                if (!r.equals("error") && !r.equals("unrepresentable") && !r.equals("nomatch")) {
                    String in = inputs.get(k);
                    withResult.add(in.substring(0, in.length() - 1) + ", " + r + "]");
                }
            }
            String v = vars(op.arity());
            String vr = v.substring(0, v.length() - 1) + ", r]";
            cases.add(new DifferentialCase("table " + op.ours(), vr + " when " + op.ours() + " === r", op.mode(), vr,
                    op.elixir() + " === r", withResult));
            cases.add(new DifferentialCase("table " + op.ours(), v + " when is_nil(" + op.ours() + ") or true",
                    op.mode(), v, "is_nil(" + op.elixir() + ") or true", inputs));
        }
        cases.addAll(OperatorTables.threeOperandCases());
        assertAgreement("operator table", cases);
    }

    @Test
    void randomPatternsOverProtocolMessagesAnswerExactlyAsElixir() {
        long seed = Long.getLong("alloplace.guard.seed", new SecureRandom().nextLong());
        System.out.println("GuardDifferentialTest: random seed " + seed + " (replay: -Dalloplace.guard.seed=" + seed
                + ")");
        int patterns = Integer.getInteger("alloplace.guard.patterns", 1500);
        List<DifferentialCase> cases = new RandomGuards(new Random(seed)).generate(patterns, 12);
        assertAgreement("random (seed " + seed + ")", cases);
    }

    private static String vars(int arity) {
        return arity == 1 ? "[x]" : "[x, y]";
    }

    // ---- comparing

    private record Outcome(DifferentialCase source, String value, String ours, String theirs) {
        @Override
        public String toString() {
            return source.origin() + "\n    ours:   " + source.ours() + "\n    elixir: " + source.elixirText()
                    + "\n    value:  " + value + "\n    we say " + ours + ", Elixir says " + theirs;
        }
    }

    private static void assertAgreement(String name, List<DifferentialCase> cases) {
        long start = System.nanoTime();
        List<ElixirOracle.Answer> answers = askInBatches(cases.stream().map(DifferentialCase::query).toList());
        List<Outcome> disagreements = new ArrayList<>();
        List<Outcome> limits = new ArrayList<>();
        int total = 0;
        int matched = 0;
        for (int i = 0; i < cases.size(); i++) {
            DifferentialCase c = cases.get(i);
            ElixirOracle.Answer answer = answers.get(i);
            CompileResult compiled = Guard.compile(c.ours(), GuardLimits.defaults());
            if (!answer.compiled()) {
                total++;
                if (compiled instanceof CompileResult.Compiled) {
                    disagreements.add(new Outcome(c, "(any)", "compiled", "compile error: " + answer.compileError()));
                }
                continue;
            }
            for (int k = 0; k < c.values().size(); k++) {
                total++;
                String value = c.values().get(k);
                boolean theirs = answer.matches().get(k);
                matched += theirs ? 1 : 0;
                if (compiled instanceof CompileResult.Failed failed) {
                    disagreements.add(new Outcome(c, value, "compile error: " + failed.error(), String.valueOf(theirs)));
                    continue;
                }
                JsonNode node = parse(value);
                MatchResult ours = ((CompileResult.Compiled) compiled).guard().match(node, HostEnvironment.NONE);
                if (ours instanceof MatchResult.StepsExhausted) {
                    limits.add(new Outcome(c, value, "a limit was hit", String.valueOf(theirs)));
                } else if (ours.matched() != theirs) {
                    disagreements.add(new Outcome(c, value, String.valueOf(ours.matched()), String.valueOf(theirs)));
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long rejected = disagreements.stream().filter(d -> d.ours().startsWith("compile error")).count();
        long elixirRejects = disagreements.stream().filter(d -> d.theirs().startsWith("compile error")).count();
        System.out.printf("GuardDifferentialTest %s: %d cases (%d patterns), %d match in Elixir, %d disagreements"
                + " (%.2f %%: %d where we reject the source, %d where Elixir does), %d hit a limit, %d ms%n", name,
                total, cases.size(), matched, disagreements.size(), 100.0 * disagreements.size() / Math.max(1, total),
                rejected, elixirRejects, limits.size(), millis);
        for (Outcome limit : limits.subList(0, Math.min(limits.size(), SHOWN))) {
            System.out.println("  limit hit (not a disagreement): " + limit);
        }
        for (Outcome d : disagreements.subList(0, Math.min(disagreements.size(), SHOWN))) {
            System.out.println("  DISAGREEMENT " + d);
        }
        assertThat(disagreements).as("%s: %d disagreements with Elixir, the first: %s", name, disagreements.size(),
                disagreements.isEmpty() ? "" : disagreements.get(0)).isEmpty();
    }

    private static JsonNode parse(String json) {
        try {
            return ProtocolJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a test value is not JSON: " + json, e);
        }
    }

    private static List<ElixirOracle.Answer> askInBatches(List<ElixirOracle.Query> queries) {
        List<ElixirOracle.Answer> out = new ArrayList<>();
        List<ElixirOracle.Query> batch = new ArrayList<>();
        int values = 0;
        for (ElixirOracle.Query q : queries) {
            if (!batch.isEmpty() && (values + q.values().size() > BATCH_VALUES || batch.size() >= 200)) {
                out.addAll(elixir().ask(batch));
                batch.clear();
                values = 0;
            }
            batch.add(q);
            values += q.values().size();
        }
        if (!batch.isEmpty()) {
            out.addAll(elixir().ask(batch));
        }
        return out;
    }

    // ---- the hand-written file

    private static List<DifferentialCase> handWritten() throws IOException {
        List<DifferentialCase> out = new ArrayList<>();
        try (InputStream in = GuardDifferentialTest.class.getResourceAsStream("differential-cases.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> parts = Arrays.stream(line.split("¦")).map(String::strip).toList();
                String ours = parts.get(0);
                String elixirText = ours;
                ElixirOracle.Mode mode = ElixirOracle.Mode.GUARD;
                int values = 1;
                if (parts.size() > 1 && parts.get(1).startsWith("elixir:")) {
                    elixirText = parts.get(1).substring("elixir:".length()).strip();
                    values = 2;
                } else if (parts.size() > 1 && parts.get(1).startsWith("code:")) {
                    elixirText = parts.get(1).substring("code:".length()).strip();
                    mode = ElixirOracle.Mode.CODE;
                    values = 2;
                }
                if (parts.size() <= values) {
                    throw new IllegalStateException("differential-cases.txt line " + n + " has no values");
                }
                int when = elixirText.indexOf(" when ");
                String pattern = when < 0 ? elixirText : elixirText.substring(0, when);
                String guard = when < 0 ? null : elixirText.substring(when + " when ".length());
                out.add(new DifferentialCase("differential-cases.txt:" + n, ours, guard == null
                        ? ElixirOracle.Mode.GUARD : mode, pattern, guard, parts.subList(values, parts.size())));
            }
        }
        return out;
    }
}
