package dev.alloplace.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.AlloClientHost;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.Disconnected;
import dev.alloplace.client.PlaceUrl;
import dev.alloplace.enet.EnetSettings;
import dev.alloplace.enet.EnetTransport;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A wall clock for a place, and the shortest complete app on our client: it announces (with the
 * avatar token when an app gateway launched it), spawns a clock face, changes the face's text
 * every second, and switches between 24-hour and 12-hour time when someone pokes it.
 */
public final class ClockApp implements AutoCloseable {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter H24 = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter H12 = DateTimeFormatter.ofPattern("h:mm:ss a", Locale.ENGLISH);

    private final AlloClientHost host;
    private final AlloClient client;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private volatile String faceId;
    private volatile boolean twelveHour;

    private ClockApp(AlloClientHost host, AlloClient client) {
        this.host = host;
        this.client = client;
    }

    /**
     * Joins {@code place} and puts up the clock.
     *
     * @param avatarToken the token an app gateway passed on, so the place can tell whoever launched us
     * @param where the avatar's transform matrix (16 numbers), e.g. the launch's {@code initialLocation}
     */
    public static ClockApp start(PlaceUrl place, Optional<String> avatarToken, Optional<ArrayNode> where) throws Exception {
        ObjectNode avatar = F.objectNode();
        avatar.putObject("transform").set("matrix", where.orElseGet(() -> translation(0, 0, 0)));
        avatarToken.ifPresent(token -> avatar.putObject("avatar").put("token", token));

        AlloClientHost host = AlloClientHost.start(new EnetTransport(EnetSettings.builder().bind("0.0.0.0", 0).build()));
        AlloClient client = host.connect(place.resolve(), ClientOptions.defaults("clock").withAvatar(avatar))
                .get(10, TimeUnit.SECONDS);
        ClockApp app = new ClockApp(host, client);
        client.onInteraction(app::received);
        String avatarId = client.announce().get(10, TimeUnit.SECONDS).avatarId();

        ObjectNode face = F.objectNode();
        face.putObject("relationships").put("parent", avatarId);
        face.putObject("transform").set("matrix", translation(0, 1.6, 0));
        face.set("text", app.text());
        face.putObject("collider").put("type", "box").put("width", 0.8).put("height", 0.2).put("depth", 0.05);
        face.putObject("material").set("color", F.arrayNode().add(0.95).add(0.95).add(0.9).add(1));
        app.faceId = client.request("place", Interaction.body("spawn_entity", face)).get(10, TimeUnit.SECONDS).get(1).asText();

        app.ticker.scheduleAtFixedRate(app::showTime, 1, 1, TimeUnit.SECONDS);
        return app;
    }

    /** Requests routed to us: a poke on the face switches the time format. */
    private void received(Interaction interaction) {
        if (interaction.type() != InteractionType.REQUEST) {
            return;
        }
        if (interaction.to().equals(faceId) && interaction.name().equals("poke")) {
            twelveHour = !twelveHour;
            showTime();
            client.respond(interaction, Interaction.body("poke", "ok"));
        } else {
            client.respond(interaction, Interaction.body(interaction.name(), "failed", "the clock only understands poke"));
        }
    }

    private void showTime() {
        client.request("place", Interaction.body("change_components", faceId, "add_or_change",
                F.objectNode().set("text", text()), "remove", F.arrayNode()));
    }

    private ObjectNode text() {
        String now = LocalTime.now().format(twelveHour ? H12 : H24);
        return F.objectNode().put("string", now).put("height", 0.12).put("wrap", 0.8).put("halign", "center");
    }

    private static ArrayNode translation(double x, double y, double z) {
        return F.arrayNode().add(1).add(0).add(0).add(0).add(0).add(1).add(0).add(0)
                .add(0).add(0).add(1).add(0).add(x).add(y).add(z).add(1);
    }

    public String faceId() {
        return faceId;
    }

    /** Completes when the place ends the connection. */
    public CompletableFuture<Disconnected> disconnected() {
        return client.disconnected();
    }

    /** Leaves the place (its entities go with the connection). */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Gone already, or the place does not answer; closing the host ends it either way.
        }
        host.close();
    }

    /** The transform an app was asked to appear at, if the launch arguments carry one. */
    public static Optional<ArrayNode> initialLocation(JsonNode launchArguments) {
        JsonNode location = launchArguments.path("initialLocation");
        if (location.isArray() && location.size() == 16) {
            for (JsonNode n : location) {
                if (!n.isNumber()) {
                    return Optional.empty();
                }
            }
            return Optional.of((ArrayNode) location);
        }
        return Optional.empty();
    }
}
