package dev.alloplace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code alloplace} command. Without a subcommand it serves a place, like {@code serve}.
 * Exit codes: 0 after a clean shutdown, 1 when the server fails while running, 2 for bad
 * configuration or usage.
 */
@Command(
        name = "alloplace",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Alloverse place server: visors and apps connect over ENet/UDP and share one live world.",
        subcommands = {Main.Serve.class, HealthCheckCommand.class, LoadgenCommand.class, GatewayCommand.class,
                ExampleAppCommand.class, IdentityCommand.class},
        footer = {"", "Settings are taken from flags, then ALLOPLACE_* environment variables, then the YAML file, then defaults."})
public final class Main implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Mixin
    ServeOptions options;

    @Override
    public Integer call() {
        return new Daemon(System.getenv()).run(options);
    }

    /** Explicit form of the default command. */
    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Serve a place until SIGINT or SIGTERM (the default command).")
    static final class Serve implements Callable<Integer> {
        @Mixin
        ServeOptions options;

        @Override
        public Integer call() {
            return new Daemon(System.getenv()).run(options);
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
