package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.identity.KeyFile;
import dev.alloplace.testing.TestPlace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code alloplace identity} and {@code --version}: the keys an operator hands out and checks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentityCommandTest {

    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString().strip(), err.toString().strip());
    }

    @Test
    void generateWritesAKeyFileOnlyItsOwnerReadsAndNeverOverwritesIt() throws Exception {
        Path file = temp.resolve("keys/annie.json");
        Run generated = run("identity", "generate", file.toString());
        assertThat(generated.exit()).isZero();
        assertThat(generated.out()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFile.read(file).publicKeyText()).isEqualTo(generated.out());
        assertThat(run("identity", "show", file.toString()).out()).isEqualTo(generated.out());

        Run again = run("identity", "generate", file.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("never overwritten");
        assertThat(KeyFile.read(file).publicKeyText()).as("the first key is kept").isEqualTo(generated.out());
        assertThat(run("identity", "show", temp.resolve("missing.json").toString()).exit()).isEqualTo(1);
        Files.writeString(temp.resolve("junk.json"), "{\"format\": 1}");
        assertThat(run("identity", "show", temp.resolve("junk.json").toString()).err()).contains("no alloplace key file");
        assertThat(run("identity").exit()).as("a subcommand is needed").isEqualTo(2);
    }

    @Test
    void placePrintsTheKeyThePlaceProvesAndVersionNamesIt() throws Exception {
        Path dataDir = temp.resolve("data");
        Run before = run("identity", "place", "--data-dir", dataDir.toString());
        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.err()).contains("no place key in " + dataDir);
        assertThat(run("--version", "--data-dir", dataDir.toString()).out()).endsWith("place key: none yet in " + dataDir
                + " (created on the first start)");

        String proven;
        try (TestPlace place = TestPlace.start(Map.of("data_dir", dataDir.toString()), List.of())) {
            AlloClient client = place.connect(ClientOptions.defaults("checker").withIdentityKey(
                    dev.alloplace.identity.IdentityKey.generate()));
            proven = client.announce().get(5, TimeUnit.SECONDS).placeKey();
        }
        Run printed = run("identity", "place", "--data-dir", dataDir.toString());
        assertThat(printed.exit()).isZero();
        assertThat(printed.out()).as("the key the place proved to a client").isEqualTo(proven);
        assertThat(run("--version", "--data-dir", dataDir.toString()).out()).contains("alloplace ")
                .endsWith("place key: " + proven + " (" + dataDir.resolve("place-key.json") + ")");
        assertThat(run("serve", "--version", "--data-dir", dataDir.toString()).out()).contains("place key: " + proven);
    }
}
