package dev.alloplace.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
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
import java.util.function.Supplier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code launch_app}: asks an app gateway over HTTP to start an app for this place, then answers
 * the requester when the app announces with the avatar token the place handed out, or with an
 * error when the gateway refuses or the app never comes. Only gateways under the operator's
 * allowed prefixes are ever contacted, so an agent cannot make the place a proxy (SSRF).
 */
public final class AppLauncher implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(AppLauncher.class);
    private static final String NAME = "launch_app";
    private static final String SCHEME = "alloapp:";
    private static final int MAX_LAUNCHED_BY_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectWriter ASCII_JSON = ProtocolJson.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final LaunchSettings settings;
    private final AllowedGateways gateways;
    private final GatewayClient client;
    private final Map<String, Launch> launches = new HashMap<>();
    private volatile int listeningPort;
    private volatile Supplier<Optional<InetSocketAddress>> fleetAddress = Optional::empty;

    private record Launch(String requesterAgent, String requesterEntity, String requestId, double deadline) {
    }

    public AppLauncher(LaunchSettings settings) {
        this.settings = settings;
        this.gateways = new AllowedGateways(settings.allowedGateways());
        this.client = new GatewayClient(settings.gatewayTimeout(), settings.maxAnswerBytes(), settings.gatewayToken());
    }

    /** The UDP port the place listens on; what apps are told when no public port is configured. */
    public void listeningOn(int port) {
        listeningPort = port;
    }

    /**
     * Where a fleet manager says players reach the place (Agones: the GameServer's address and
     * host port); used for what is not configured. Read at each launch, from any thread.
     */
    public void reachableThrough(Supplier<Optional<InetSocketAddress>> address) {
        fleetAddress = address;
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
        if (gateways.none()) {
            return PlaceContext.error(NAME, "launch_app is not enabled on this place (no app gateway is configured)");
        }
        Optional<URI> gateway = gateways.admit(url.textValue().substring(SCHEME.length()));
        if (gateway.isEmpty()) {
            log.info("agent {} asked to launch from a gateway that is not allowed: {}", agent.id(),
                    abbreviate(url.textValue()));
            return PlaceContext.error(NAME, "app gateway not allowed");
        }
        String launchedBy = launchedBy(agent);
        if (launchedBy == null) {
            return PlaceContext.error(NAME, "identity too large to launch an app");
        }
        String agentId = agent.id();
        if (launches.values().stream().filter(l -> l.requesterAgent().equals(agentId)).count()
                >= settings.maxPendingPerAgent()) {
            return PlaceContext.error(NAME, "too many launches pending");
        }
        ObjectNode args = argsNode instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
        String token = token();
        args.put("avatarToken", token);
        launches.put(token, new Launch(agentId, interaction.from(), interaction.requestId(),
                place.serverTime() + settings.announceTimeout().toMillis() / 1000.0));
        client.post(gateway.get(), ProtocolJson.write(args), server(), launchedBy).thenAccept(outcome ->
                place.execute(p -> {
                    if (outcome instanceof GatewayClient.Outcome.Failed failed) {
                        Launch launch = launches.remove(token);
                        if (launch != null) {
                            answer(p, launch, PlaceContext.error(NAME, failed.reason()));
                        }
                    } else {
                        log.info("app gateway {} is launching an app for agent {}", gateway.get(), agentId);
                    }
                }));
        return null;
    }

    private String server() {
        Optional<InetSocketAddress> fleet = fleetAddress.get();
        String host = !settings.publicHost().isEmpty() ? settings.publicHost()
                : fleet.map(InetSocketAddress::getHostString).orElse("localhost");
        int port = settings.publicPort() != 0 ? settings.publicPort()
                : fleet.map(InetSocketAddress::getPort).orElse(listeningPort != 0 ? listeningPort : 21337);
        return "alloplace://" + host + ":" + port;
    }

    /** The requester's identity as one ASCII line (the header's form), or null when too large. */
    private static String launchedBy(Agent agent) {
        if (agent.identity() == null) {
            return "{}";
        }
        try {
            String json = ASCII_JSON.writeValueAsString(agent.identity());
            return json.length() > MAX_LAUNCHED_BY_BYTES ? null : json;
        } catch (JsonProcessingException e) {
            return null;
        }
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

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static String token() {
        char[] chars = new char[19];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return new String(chars);
    }
}
