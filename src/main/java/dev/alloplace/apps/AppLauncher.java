package dev.alloplace.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ProtocolJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code launch_app}: asks an app gateway over HTTP to start an app for this place, then answers
 * the requester when the app announces with the avatar token the place handed out, or with an
 * error when the gateway refuses or the app never comes.
 */
public final class AppLauncher implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(AppLauncher.class);
    private static final String NAME = "launch_app";
    private static final String SCHEME = "alloapp:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LaunchSettings settings;
    private final HttpClient http;
    private final Map<String, Launch> launches = new HashMap<>();

    private record Launch(String requesterAgent, String requesterEntity, String requestId, double deadline) {
    }

    public AppLauncher(LaunchSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.gatewayTimeout()).build();
    }

    @Override
    public void install(PlaceHandlers handlers) {
        handlers.register(NAME, this::launch);
    }

    private ArrayNode launch(PlaceContext place, Agent agent, Interaction interaction) {
        JsonNode url = interaction.body().get(1);
        JsonNode argsNode = interaction.body().get(2);
        if (url == null || !url.isTextual() || !url.textValue().startsWith(SCHEME)
                || argsNode != null && !argsNode.isNull() && !argsNode.isObject()) {
            return PlaceContext.error(NAME, "invalid request");
        }
        URI gateway;
        try {
            gateway = URI.create(url.textValue().substring(SCHEME.length()));
        } catch (IllegalArgumentException e) {
            return PlaceContext.error(NAME, "invalid request");
        }
        if (!"http".equals(gateway.getScheme()) && !"https".equals(gateway.getScheme())) {
            return PlaceContext.error(NAME, "invalid request");
        }
        ObjectNode args = argsNode instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
        String token = token();
        args.put("avatarToken", token);
        String launchedBy = agent.identity() == null ? "{}" : agent.identity().toString().replace("\n", "\\n");
        HttpRequest request = HttpRequest.newBuilder(gateway)
                .timeout(settings.gatewayTimeout())
                .header("Content-Type", "application/json")
                .header("x-alloverse-server", "alloplace://" + settings.publicHost() + ":" + settings.publicPort())
                .header("x-alloverse-launched-by", launchedBy)
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(args)))
                .build();
        String agentId = agent.id();
        launches.put(token, new Launch(agentId, interaction.from(), interaction.requestId(),
                place.serverTime() + settings.announceTimeout().toMillis() / 1000.0));
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).whenComplete((response, error) ->
                place.execute(p -> {
                    if (error == null && response.statusCode() == 200) {
                        log.info("app gateway {} is launching an app for agent {}", gateway, agentId);
                        return;
                    }
                    Launch failed = launches.remove(token);
                    if (failed == null) {
                        return;
                    }
                    String reason = error != null ? "Failed connection to app gateway" : response.body();
                    log.info("app gateway {} refused: {}", gateway, error != null ? error.toString() : response.statusCode());
                    answer(p, failed, PlaceContext.error(NAME, reason));
                }));
        return null;
    }

    @Override
    public void agentAnnounced(PlaceContext place, Agent agent, ObjectNode avatarSpec) {
        JsonNode token = avatarSpec.path("avatar").path("token");
        if (!token.isTextual()) {
            return;
        }
        Launch launch = launches.remove(token.textValue());
        if (launch == null) {
            log.info("agent {} announced with an unknown avatar token", agent.id());
            return;
        }
        answer(place, launch, Interaction.body(NAME, "ok", agent.avatarId()));
    }

    @Override
    public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
        for (Iterator<Launch> it = launches.values().iterator(); it.hasNext(); ) {
            Launch launch = it.next();
            if (serverTime >= launch.deadline()) {
                it.remove();
                answer(place, launch, PlaceContext.error(NAME, "the app did not announce within "
                        + settings.announceTimeout().toSeconds() + " s"));
            }
        }
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        launches.values().removeIf(launch -> launch.requesterAgent().equals(agent.id()));
    }

    private static void answer(PlaceContext place, Launch launch, ArrayNode body) {
        place.agent(launch.requesterAgent()).ifPresent(requester -> place.send(requester,
                new Interaction(InteractionType.RESPONSE, "place", launch.requesterEntity(), launch.requestId(), body)));
    }

    private static String token() {
        char[] chars = new char[19];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return new String(chars);
    }
}
