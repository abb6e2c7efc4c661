package dev.alloplace.cli;

import dev.alloplace.config.Config;
import dev.alloplace.config.Settings;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Asks a running server's {@code /readyz}; exit 0 when it answers 200. For checks that can
 * afford a JVM (the Docker image's HEALTHCHECK uses bash instead). Reads the admin address from
 * the same settings as the server, so it works with the same environment and config file.
 */
@Command(name = "healthcheck", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Exit 0 if the local server's admin /readyz answers 200 (it serves players), 1 otherwise.")
final class HealthCheckCommand implements Callable<Integer> {

    @Mixin
    ServeOptions options;

    @Override
    public Integer call() {
        Config config = new Daemon(System.getenv()).configure(options);
        if (config == null) {
            return Main.EXIT_USAGE;
        }
        int port = config.get(Settings.ADMIN_PORT);
        if (port <= 0) {
            System.err.println("alloplace healthcheck: admin.port is " + port + "; the admin endpoint has no fixed port");
            return Main.EXIT_USAGE;
        }
        InetAddress bind = config.get(Settings.ADMIN_BIND);
        String host = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        URI uri = URI.create("http://" + host + ":" + port + "/readyz");
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString());
            System.out.println(uri + " -> " + r.statusCode());
            return r.statusCode() == 200 ? Main.EXIT_OK : Main.EXIT_FAILURE;
        } catch (Exception e) {
            System.out.println(uri + " -> " + e);
            return Main.EXIT_FAILURE;
        } 
    }
}
