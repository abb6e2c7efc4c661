package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.identity.KeyFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alloplace identity}: the Ed25519 keys of verified identities. {@code place} prints the
 * place's public key from its data directory (read with the server's own settings, so the same
 * flags, environment and config file work); {@code generate} writes a new client key file (mode
 * 0600) and prints its public key; {@code show} prints the public key of a key file. Each prints
 * the key alone on one line, for scripts. Exit 0, 1 when the key is missing or unreadable, 2 for
 * bad usage.
 */
@Command(name = "identity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Ed25519 identity keys: print the place's public key, generate or read a client key file.",
        subcommands = {IdentityCommand.PlaceKey.class, IdentityCommand.Generate.class, IdentityCommand.Show.class})
final class IdentityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    @Command(name = "place", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the place's public key (data_dir/" + KeyFile.PLACE_KEY_FILE + ", created on its first start).")
    static final class PlaceKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServeOptions options;

        Map<String, String> env = System.getenv();

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Config config = new Daemon(env, new PrintStream(new WriterOutput(err), true, java.nio.charset.StandardCharsets.UTF_8))
                    .configure(options);
            if (config == null) {
                return Main.EXIT_USAGE;
            }
            Path file = config.get(Settings.DATA_DIR).resolve(KeyFile.PLACE_KEY_FILE);
            if (!Files.exists(file)) {
                err.println("alloplace identity: no place key in " + config.get(Settings.DATA_DIR)
                        + " yet; the place creates " + KeyFile.PLACE_KEY_FILE + " there on its first start");
                return Main.EXIT_FAILURE;
            }
            return print(spec, file);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Write a new key file for a client (readable by its owner only) and print its public key.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the key file to create; an existing file is never overwritten")
        Path file;

        @Override
        public Integer call() {
            IdentityKey key = IdentityKey.generate();
            try {
                KeyFile.create(file, key);
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println("alloplace identity: " + file + " exists; a key file is never overwritten");
                return Main.EXIT_FAILURE;
            } catch (IOException e) {
                spec.commandLine().getErr().println("alloplace identity: cannot write " + file + ": " + e.getMessage());
                return Main.EXIT_FAILURE;
            }
            spec.commandLine().getOut().println(key.publicKeyText());
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the public key of a key file.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a key file (alloplace identity generate, or a place's "
                + KeyFile.PLACE_KEY_FILE + ")")
        Path file;

        @Override
        public Integer call() {
            return print(spec, file);
        }
    }

    private static int print(CommandSpec spec, Path file) {
        try {
            spec.commandLine().getOut().println(KeyFile.read(file).publicKeyText());
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("alloplace identity: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no key file " + file : e.getMessage()));
            return Main.EXIT_FAILURE;
        }
    }

    /** Daemon reports configuration errors to a PrintStream; this one writes into the command's error writer. */
    private static final class WriterOutput extends java.io.OutputStream {
        private final PrintWriter writer;

        WriterOutput(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writer.write(new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
