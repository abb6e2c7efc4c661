package dev.alloplace.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.acl.Acl;
import dev.alloplace.acl.AclBootstrap;
import dev.alloplace.acl.AclChange;
import dev.alloplace.acl.AclEffect;
import dev.alloplace.acl.AclFile;
import dev.alloplace.acl.AclSettings;
import dev.alloplace.cli.Main;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Setting;
import dev.alloplace.config.Settings;
import dev.alloplace.gateway.GatewaySettings;
import dev.alloplace.testing.TestPlace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Every fenced code block in README.md and docs/*.md is real: it names what it is, and is
 * compiled, run, parsed or sent to a real place accordingly. A new kind of block needs a checker
 * here, so that no example can quietly stop being true.
 *
 * <ul>
 * <li>{@code java}: a compilation unit; compiled, and every public static method taking an
 *     {@link InetSocketAddress} is run against a real place over ENet.</li>
 * <li>{@code sh}: each command is one this repository can run: {@code java -jar
 *     target/alloplace.jar} with arguments the CLI parses (and a config file that loads), an
 *     executable {@code scripts/...}, {@code install}/{@code cp} of files that exist, a known tool.</li>
 * <li>{@code console}: {@code $ java -jar target/alloplace.jar ...} lines are run and their
 *     output is exactly the lines that follow.</li>
 * <li>{@code yaml}: a config file (a mapping) or an ACL rules file (a list) that loads; a
 *     Kubernetes manifest (apiVersion and kind) parses, every document with a name.</li>
 * <li>{@code json}: parses as JSON. {@code log}: a line of the text log format.</li>
 * <li>{@code guard}: compiles as an ACL rule. {@code message}: a wire message, JSON with
 *     {@code <placeholders>}.</li>
 * <li>{@code interactions}: each {@code request:} is sent to a real place by one agent in order,
 *     and the answer matches the {@code response:} line (or one of its alternatives).</li>
 * <li>{@code text}: a package diagram; every word outside parentheses names a package.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DocsCodeBlocksTest {

    /** Every setting a shell line may set through its variable: the place's and the gateway's. */
    private static final List<Setting<?>> CATALOG = Stream.concat(Settings.ALL.stream(), GatewaySettings.ALL.stream())
            .distinct().toList();
    private static final Set<String> KINDS = Set.of("java", "sh", "console", "yaml", "json", "log", "guard", "message",
            "interactions", "text");
    private static final Pattern FENCE = Pattern.compile("^( *)```(\\S*)\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One fenced block: where it is, what it says it is, its text without the fence's indent. */
    record Block(Path file, int line, String kind, String text) {
        @Override
        public String toString() {
            return file + ":" + line + " (" + kind + ")";
        }
    }

    static List<Block> blocks() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> out = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher open = FENCE.matcher(lines.get(i));
                if (!open.matches()) {
                    continue;
                }
                String indent = open.group(1);
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).strip().equals("```")) {
                    String line = lines.get(j);
                    text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
                    j++;
                }
                assertThat(j).as(file + ":" + (i + 1) + " is closed").isLessThan(lines.size());
                out.add(new Block(file, i + 1, open.group(2), text.toString()));
                i = j;
            }
        }
        return out;
    }

    @Test
    void everyBlockSaysWhatItIs() throws Exception {
        List<Block> blocks = blocks();
        assertThat(blocks).hasSizeGreaterThan(10);
        assertThat(blocks).allSatisfy(b -> assertThat(KINDS).as(b + " names one of the checked kinds").contains(b.kind()));
        assertThat(blocks).filteredOn(b -> b.kind().equals("java")).as("the README's Java example").isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyBlockIsReal() throws Exception {
        return blocks().stream().filter(b -> KINDS.contains(b.kind()))
                .map(b -> DynamicTest.dynamicTest(b.toString(), () -> check(b)));
    }

    private void check(Block block) throws Exception {
        switch (block.kind()) {
            case "java" -> java(block);
            case "sh" -> shell(block);
            case "console" -> console(block);
            case "yaml" -> yaml(block);
            case "json" -> JSON.readTree(block.text());
            case "log" -> block.text().lines().forEach(line -> assertThat(line).as(block.toString()).matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d (TRACE|DEBUG|INFO |WARN |ERROR) \\[[\\w-]+] \\S+ - .+"));
            case "guard" -> guard(block.text());
            case "message" -> block.text().lines().filter(l -> !l.isBlank()).forEach(l -> pattern(l.strip()));
            case "interactions" -> interactions(block);
            case "text" -> diagram(block);
            default -> throw new AssertionError("no checker for " + block);
        }
    }

    // ---- java -------------------------------------------------------------------------------

    private static void java(Block block) throws Exception {
        Matcher name = Pattern.compile("public (?:final )?class (\\w+)").matcher(block.text());
        assertThat(name.find()).as(block + " declares a public class").isTrue();
        Path dir = Files.createTempDirectory("alloplace-doc-java");
        try {
            Path source = dir.resolve(name.group(1) + ".java");
            Files.writeString(source, block.text());
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int result = compiler.run(null, diagnostics, diagnostics, "-Xlint:all", "-Werror", "-cp", classpath,
                    "-d", dir.toString(), source.toString());
            assertThat(result).as(block + " compiles:\n" + diagnostics.toString(StandardCharsets.UTF_8)).isZero();
            int ran = 0;
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    DocsCodeBlocksTest.class.getClassLoader()); TestPlace place = TestPlace.start()) {
                Class<?> type = loader.loadClass(name.group(1));
                for (Method method : type.getDeclaredMethods()) {
                    if (Modifier.isStatic(method.getModifiers()) && Modifier.isPublic(method.getModifiers())
                            && method.getParameterCount() == 1 && method.getParameterTypes()[0] == InetSocketAddress.class) {
                        Object returned = method.invoke(null, place.address());
                        ran++;
                        long announced = place.server().place().stats().heartbeats();
                        assertThat(announced).as("the place ran while " + method.getName() + " talked to it").isPositive();
                        if (returned instanceof String id) {
                            assertThat(id).as(method.getName() + " returned what the place answered").isNotBlank();
                        }
                    }
                }
            }
            assertThat(ran).as(block + " has a public static method taking the place's address").isPositive();
        } finally {
            deleteTree(dir);
        }
    }

    // ---- sh ---------------------------------------------------------------------------------

    private static final Set<String> TOOLS = Set.of("mvn", "useradd", "systemctl", "docker", "curl", "kubectl");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z][A-Z0-9_]*)=.*");

    private static void shell(Block block) throws Exception {
        String joined = block.text().replace("\\\n", " ");
        for (String line : joined.lines().toList()) {
            String code = line.replaceFirst("\\s+#.*$", "").strip();
            if (code.isEmpty() || code.startsWith("#")) {
                continue;
            }
            for (String command : code.split("&&|\\|\\|")) {
                shellCommand(block, words(command.strip()));
            }
        }
    }

    private static void shellCommand(Block block, List<String> words) throws Exception {
        String what = block + ": " + String.join(" ", words);
        int first = 0;
        while (first < words.size() && ASSIGNMENT.matcher(words.get(first)).matches()) {
            Matcher variable = ASSIGNMENT.matcher(words.get(first));
            assertThat(variable.matches()).isTrue();
            assertThat(Settings.knownEnvironment(CATALOG)).as(what + ": " + variable.group(1) + " is read by alloplace")
                    .contains(variable.group(1));
            first++;
        }
        words = words.subList(first, words.size());
        String head = words.get(0);
        if (head.equals("java")) {
            assertThat(words.subList(0, 3)).as(what).containsExactly("java", "-jar", "target/alloplace.jar");
            List<String> args = words.subList(3, words.size());
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
            assertThat(parsed).as(what).isNotNull();
            int config = args.indexOf("--config");
            if (config >= 0) {
                boolean gateway = !args.isEmpty() && args.get(0).equals("gateway");
                ConfigLoader.load(gateway ? GatewaySettings.ALL : Settings.ALL, Map.of(), Map.of(), Path.of(args.get(config + 1)));
            }
        } else if (head.startsWith("scripts/")) {
            Path script = Path.of(head);
            assertThat(script).as(what).exists();
            assertThat(Files.isExecutable(script)).as(what + " is executable").isTrue();
            if (words.size() > 1 && !words.get(1).startsWith("-") && !words.get(1).matches("\\d+|<.*>")) {
                String alternatives = words.get(1);
                for (String scenario : alternatives.split("\\|")) {
                    assertThat(Files.readString(script)).as(what + ": " + scenario + " is a scenario").contains(scenario + ")");
                }
            }
        } else if (head.equals("install") || head.equals("cp")) {
            List<String> paths = words.stream().skip(1).filter(w -> !w.startsWith("-") && !w.matches("\\d{3,4}")).toList();
            for (String source : paths.subList(0, paths.size() - 1)) {
                if (source.startsWith("target/")) {
                    // A build product (the suite runs before `package`): the name the build gives it.
                    assertThat(Path.of(System.getProperty("alloplace.jar", "target/alloplace.jar")).getFileName())
                            .as(what + ": what the build makes").isEqualTo(Path.of(source).getFileName());
                } else {
                    assertThat(Path.of(source)).as(what).exists();
                }
            }
        } else {
            assertThat(TOOLS).as(what + ": a command the docs may name").contains(head);
        }
    }

    /** Shell words with double and single quotes removed. */
    private static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(command);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    // ---- console ----------------------------------------------------------------------------

    private static void console(Block block) throws Exception {
        List<String> lines = block.text().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("$ ")) {
                continue;
            }
            List<String> words = words(lines.get(i).substring(2));
            assertThat(words.subList(0, 3)).containsExactly("java", "-jar", "target/alloplace.jar");
            List<String> expected = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("$ "); j++) {
                expected.add(lines.get(j));
            }
            assertThat(run(words.subList(3, words.size()))).as(block + ": " + lines.get(i)).isEqualTo(expected);
        }
    }

    /** Runs the CLI in this JVM, as far as a command that fails at configuration goes. */
    private static List<String> run(List<String> args) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            int exit = cli.execute(args.toArray(String[]::new));
            assertThat(exit).as("a console example shows a command that stops at once").isNotZero();
        } finally {
            System.setErr(realErr);
        }
        List<String> lines = new ArrayList<>(out.toString().lines().toList());
        lines.addAll(err.toString(StandardCharsets.UTF_8).lines().toList());
        return lines;
    }

    // ---- yaml, guard, message ---------------------------------------------------------------

    private static void yaml(Block block) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode tree = yaml.readTree(block.text());
        if (tree.isObject() && tree.has("apiVersion") && tree.has("kind")) {
            // Kubernetes manifests: every document of the block names what it is.
            try (var documents = yaml.readerFor(JsonNode.class).<JsonNode>readValues(block.text())) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    assertThat(document.path("apiVersion").isTextual() && document.path("kind").isTextual()
                            && document.path("metadata").path("name").isTextual()).as(block + ": a manifest").isTrue();
                }
            }
        } else if (tree.isObject()) {
            Path file = Files.createTempFile("alloplace-doc", ".yaml");
            try {
                Files.writeString(file, block.text());
                ConfigLoader.load(Map.of(), Map.of(), file);
            } finally {
                Files.deleteIfExists(file);
            }
        } else {
            Path dir = Files.createTempDirectory("alloplace-doc-acl");
            try {
                AclBootstrap.Loaded loaded = AclBootstrap.load(AclSettings.defaults(), tree, new AclFile(dir.resolve("acl.json")));
                assertThat(loaded).as(block + " loads as ACL rules").isInstanceOf(AclBootstrap.Loaded.Ready.class);
            } finally {
                deleteTree(dir);
            }
        }
    }

    private static void guard(String text) {
        AclChange change = new Acl(AclSettings.defaults()).add(AclEffect.DENY, text.strip());
        assertThat(change).as(text).isInstanceOf(AclChange.Added.class);
    }

    private static final String ANY = "\uE000any";
    private static final String REST = "\uE000rest";

    /** JSON in which {@code <words>} stand for any value and {@code ...} for the rest of a list. */
    static JsonNode pattern(String text) {
        StringBuilder json = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                json.append(c);
                if (c == '\\') {
                    json.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                json.append(c);
            } else if (c == '<') {
                int close = text.indexOf('>', i);
                json.append('"').append(ANY).append('"');
                i = close;
            } else if (text.startsWith("...", i)) {
                json.append('"').append(REST).append('"');
                i += 2;
            } else {
                json.append(c);
            }
        }
        try {
            return JSON.readTree(json.toString());
        } catch (Exception e) {
            throw new AssertionError("not JSON with <placeholders>: " + text, e);
        }
    }

    static boolean matches(JsonNode pattern, JsonNode actual) {
        if (pattern.isTextual()) {
            String p = pattern.textValue();
            if (p.equals(ANY) || p.equals("...") || p.startsWith("<") && p.endsWith(">")) {
                return true;
            }
            if (p.endsWith("...")) {
                return actual.isTextual() && actual.textValue().startsWith(p.substring(0, p.length() - 3));
            }
            return actual.isTextual() && actual.textValue().equals(p);
        }
        if (pattern.isArray()) {
            if (!actual.isArray()) {
                return false;
            }
            for (int i = 0; i < pattern.size(); i++) {
                if (pattern.get(i).isTextual() && pattern.get(i).textValue().equals(REST)) {
                    return true;
                }
                if (i >= actual.size() || !matches(pattern.get(i), actual.get(i))) {
                    return false;
                }
            }
            return pattern.size() == actual.size();
        }
        if (pattern.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!actual.has(field.getKey()) || !matches(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return pattern.equals(actual) || pattern.isNumber() && actual.isNumber() && pattern.decimalValue().compareTo(actual.decimalValue()) == 0;
    }

    // ---- interactions -----------------------------------------------------------------------

    /** One request of a transcript and the answers it may get. */
    private record Exchange(String request, List<String> responses) {
    }

    private static List<Exchange> transcript(Block block) {
        List<Exchange> exchanges = new ArrayList<>();
        String section = null;
        for (String raw : block.text().lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("(")) {
                continue;
            }
            Matcher labelled = Pattern.compile("^(request|response|error):\\s*(.*)$").matcher(line);
            String rest = line;
            if (labelled.matches()) {
                section = labelled.group(1);
                rest = labelled.group(2);
            }
            assertThat(section).as(block + ": a transcript starts with request:").isNotNull();
            String json = leadingJson(rest);
            pattern(json); // every line is JSON with placeholders
            if (section.equals("request")) {
                exchanges.add(new Exchange(json, new ArrayList<>()));
            } else if (section.equals("response")) {
                exchanges.get(exchanges.size() - 1).responses().add(json);
            }
        }
        return exchanges;
    }

    /** The JSON array at the start of a line; what follows it is a comment. */
    private static String leadingJson(String text) {
        assertThat(text).startsWith("[");
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return text.substring(0, i + 1);
            }
        }
        throw new AssertionError("unclosed JSON: " + text);
    }

    private static void interactions(Block block) throws Exception {
        List<Exchange> exchanges = transcript(block);
        assertThat(exchanges).as(block + " has requests").isNotEmpty();
        Path rules = Files.createTempFile("alloplace-doc-rules", ".yaml");
        Files.writeString(rules, "- deny: '[\"interaction\", _, _, \"place\", _, [\"kick_agent\" | _]]'\n");
        try (TestPlace place = TestPlace.start(Map.of("acl.rules_file", rules.toString()), List.of())) {
            AlloClient agent = place.join("docs", ClientOptions.defaults("docs"));
            for (Exchange exchange : exchanges) {
                ArrayNode request = (ArrayNode) JSON.readTree(exchange.request());
                ArrayNode answer = place.request(agent, "place", request);
                assertThat(exchange.responses()).as(block + ": " + exchange.request() + " documents its response").isNotEmpty();
                assertThat(exchange.responses()).as(block + ": " + exchange.request() + " was answered " + answer)
                        .anySatisfy(response -> assertThat(matches(pattern(response), answer)).isTrue());
            }
        } finally {
            Files.deleteIfExists(rules);
        }
    }

    // ---- text -------------------------------------------------------------------------------

    private static final Set<String> DIAGRAM_WORDS = Set.of("extensions", "of", "the", "loop");

    private static void diagram(Block block) throws Exception {
        Set<String> packages = new java.util.HashSet<>();
        try (Stream<Path> dirs = Files.list(Path.of("src", "main", "java", "dev", "alloplace"))) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        String outsideParentheses = block.text().replaceAll("\\([^)]*\\)", " ");
        Matcher word = Pattern.compile("[A-Za-z]+").matcher(outsideParentheses);
        while (word.find()) {
            assertThat(packages.contains(word.group()) || DIAGRAM_WORDS.contains(word.group()))
                    .as(block + ": '" + word.group() + "' is a package").isTrue();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
