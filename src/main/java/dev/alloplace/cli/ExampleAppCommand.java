package dev.alloplace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.client.PlaceUrl;
import dev.alloplace.example.ClockApp;
import dev.alloplace.gateway.AppEnvironment;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alloplace example-app}: the example clock app. Started by hand it joins the place named
 * on the command line; started by the app gateway it reads the place, its avatar token and
 * its launch arguments from the gateway's {@code ALLOAPP_*} variables.
 */
@Command(name = "example-app", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the example clock app in a place until the place ends the connection or SIGTERM.")
final class ExampleAppCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "PLACE_URL",
            description = "alloplace://host[:port]; default: the app gateway's " + AppEnvironment.PLACE_URL)
    String placeUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        String url = placeUrl != null ? placeUrl : env.get(AppEnvironment.PLACE_URL);
        if (url == null) {
            spec.commandLine().getErr().println("alloplace example-app: name the place (alloplace://host:port) or set "
                    + AppEnvironment.PLACE_URL);
            return Main.EXIT_USAGE;
        }
        PlaceUrl place;
        try {
            place = PlaceUrl.parse(url);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("alloplace example-app: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Logger log = LoggerFactory.getLogger(ExampleAppCommand.class);
        ClockApp app;
        try {
            app = ClockApp.start(place, Optional.ofNullable(env.get(AppEnvironment.AVATAR_TOKEN)),
                    launchArguments(env).flatMap(ClockApp::initialLocation));
        } catch (Exception e) {
            log.error("the clock could not join {}: {}", place, e.toString());
            return Main.EXIT_FAILURE;
        }
        log.info("the clock is up in {} (face {})", place, app.faceId());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "clock-shutdown"));
        log.info("the place ended the connection: {}", app.disconnected().join());
        return Main.EXIT_OK;
    }

    private static Optional<JsonNode> launchArguments(Map<String, String> env) {
        String json = env.get(AppEnvironment.ARGS);
        if (json != null && ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8)) instanceof ParseResult.Success<JsonNode> args) {
            return Optional.of(args.value());
        }
        return Optional.empty();
    }
}
