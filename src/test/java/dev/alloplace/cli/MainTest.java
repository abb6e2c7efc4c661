package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.config.Config;
import dev.alloplace.config.Setting;
import dev.alloplace.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private static String run(int expectedExit, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertThat(cli.execute(args)).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void helpListsAFlagForEverySettingThatHasOne() {
        String help = run(0, "--help");
        for (Setting<?> s : Settings.ALL) {
            s.flag().ifPresent(f -> assertThat(help).contains("--" + f));
        }
        assertThat(help).contains("--config").contains("--version");
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitCodeTwo() {
        String out = run(2, "--colour", "blue");
        assertThat(out).contains("Unknown option").contains("--colour");
    }

    @Test
    void flagsAreParsedIntoSettings() {
        CommandLine cli = Main.commandLine();
        cli.parseArgs("--port", "4000", "--name", "Garden", "--heartbeat-hz", "30");
        Main main = cli.getCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Config c = new Daemon(Map.of("ALLOPLACE_PORT", "5000"), new PrintStream(err, true, StandardCharsets.UTF_8))
                .configure(main.options);
        assertThat(c).isNotNull();
        assertThat(c.get(Settings.PORT)).isEqualTo(4000);
        assertThat(c.get(Settings.PLACE_NAME)).isEqualTo("Garden");
        assertThat(c.get(Settings.HEARTBEAT_HZ)).isEqualTo(30);
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("alloplace", ".yaml");
        try {
            java.nio.file.Files.writeString(f, "place:\n  name: From env file\n");
            CommandLine cli = Main.commandLine();
            cli.parseArgs();
            Main main = cli.getCommand();
            Config c = new Daemon(Map.of("ALLOPLACE_CONFIG", f.toString())).configure(main.options);
            assertThat(c.get(Settings.PLACE_NAME)).isEqualTo("From env file");
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    @Test
    void badValueIsReportedInOneLineNamingTheKey() {
        CommandLine cli = Main.commandLine();
        cli.parseArgs("--heartbeat-hz", "0");
        Main main = cli.getCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Config c = new Daemon(Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8)).configure(main.options);
        assertThat(c).isNull();
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message.strip().lines()).hasSize(1);
        assertThat(message).contains("place.heartbeat_hz").contains("from 1 to 240");
    }

    @Test
    void loadgenHelpShowsEveryDefault() {
        String help = run(0, "loadgen", "--help");
        assertThat(help).contains("--port").contains("Default: 21337").contains("--duration").contains("Default: 30")
                .contains("--out").contains("Default: target/loadgen").contains("Exit codes");
    }

    @Test
    void theLoadgenProgressBarFillsWithTheMeasuredSeconds() {
        assertThat(LoadgenCommand.bar(0, 60)).isEqualTo("[" + ".".repeat(30) + "] 0/60 s");
        assertThat(LoadgenCommand.bar(30, 60)).isEqualTo("[" + "#".repeat(15) + ".".repeat(15) + "] 30/60 s");
        assertThat(LoadgenCommand.bar(61, 60)).startsWith("[" + "#".repeat(30) + "]");
    }

    @Test
    void aStatusLineWithoutATerminalPrintsEachPhaseOnce() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        StatusLine line = new StatusLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.status("building static entities: 0 of 2000");
        line.status("building static entities: 1000 of 2000");
        line.status("late join: probe 1 of 7");
        line.line("    1s agents=5");
        line.liveOnly("[###...] 1/60 s");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("building static entities: 0 of 2000", "late join: probe 1 of 7", "    1s agents=5");
    }
}
