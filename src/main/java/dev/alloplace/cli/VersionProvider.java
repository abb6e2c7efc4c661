package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.identity.KeyFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Reads the version Maven wrote into the jar, so {@code --version} always matches the build. For
 * the server command it also names the place: the public key in the data directory the same
 * flags, environment and config file select (nothing is created).
 */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @CommandLine.Spec
    CommandSpec spec;

    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/alloplace/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>(List.of(
                "alloplace " + version(),
                "Alloverse protocol versions 3 and 4 (allonet), ENet 1.3",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"));
        ServeOptions options = spec == null ? null : spec.userObject() instanceof Main main ? main.options
                : spec.userObject() instanceof Main.Serve serve ? serve.options : null;
        if (options != null) {
            lines.add(placeKeyLine(options));
        }
        return lines.toArray(String[]::new);
    }

    private static String placeKeyLine(ServeOptions options) {
        Config config = new Daemon(System.getenv(), new PrintStream(OutputStream.nullOutputStream())).configure(options);
        if (config == null) {
            return "place key: unknown (the configuration does not load)";
        }
        Path file = config.get(Settings.DATA_DIR).resolve(KeyFile.PLACE_KEY_FILE);
        if (!Files.exists(file)) {
            return "place key: none yet in " + config.get(Settings.DATA_DIR) + " (created on the first start)";
        }
        try {
            return "place key: " + KeyFile.read(file).publicKeyText() + " (" + file + ")";
        } catch (IOException e) {
            return "place key: unreadable (" + e.getMessage() + ")";
        }
    }
}
