package dev.alloplace.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.admin.AdminRequest;
import dev.alloplace.admin.AdminResponse;
import dev.alloplace.admin.AdminRoute;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The gateway's HTTP face: {@code POST /<app>} launches (answering what alloui reads: 200, or a
 * JSON object with an {@code error} key and a 4xx/5xx status) and {@code GET /apps} lists what
 * runs. Everything a request carries is checked before a process is started.
 */
final class GatewayRoutes {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PLACE_URL = Pattern.compile(
            "alloplace://([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?/?");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String UNKNOWN_APP_TAG = "_unknown";

    private final AppCatalog catalog;
    private final AppSupervisor supervisor;

    GatewayRoutes(AppCatalog catalog, AppSupervisor supervisor) {
        this.catalog = catalog;
        this.supervisor = supervisor;
    }

    AdminRoute launch() {
        return request -> {
            String name = request.path().substring(1);
            Optional<AppSpec> app = catalog.app(name);
            if (app.isEmpty()) {
                supervisor.count(UNKNOWN_APP_TAG, "unknown_app");
                return error(404, "no such app: " + printable(name));
            }
            if (!request.method().equals("POST")) {
                return error(405, "launch an app with POST /" + name);
            }
            String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (!contentType.equals("application/json") && !contentType.startsWith("application/json;")) {
                supervisor.count(name, "bad_request");
                return error(415, "the launch request must be Content-Type: application/json");
            }
            LaunchOrError parsed = parse(name, request);
            if (parsed.error() != null) {
                supervisor.count(name, "bad_request");
                return error(400, parsed.error());
            }
            return supervisor.launch(app.get(), parsed.launch()).thenApply(outcome -> {
                if (outcome instanceof AppSupervisor.Outcome.Started started) {
                    ObjectNode body = F.objectNode().put("app", started.app()).put("pid", started.pid());
                    return AdminResponse.json(200, ProtocolJson.write(body));
                }
                AppSupervisor.Outcome.Refused refused = (AppSupervisor.Outcome.Refused) outcome;
                return errorResponse(refused.status(), refused.error());
            });
        };
    }

    AdminRoute list() {
        return request -> {
            if (!request.method().equals("GET")) {
                return error(405, "list the running apps with GET /apps");
            }
            return supervisor.running().thenApply(apps -> {
                ArrayNode list = F.arrayNode();
                Instant now = Instant.now();
                for (AppSupervisor.RunningApp app : apps) {
                    ObjectNode item = list.addObject()
                            .put("app", app.app())
                            .put("pid", app.pid())
                            .put("started_at", app.startedAt().toString())
                            .put("running_seconds", Duration.between(app.startedAt(), now).toMillis() / 1000.0)
                            .put("place_url", app.placeUrl());
                    item.set("launched_by", app.launchedBy());
                }
                return AdminResponse.json(200, ProtocolJson.write(list));
            });
        };
    }

    private record LaunchOrError(LaunchRequest launch, String error) {
    }

    private static LaunchOrError parse(String app, AdminRequest request) {
        String server = request.header("x-alloverse-server").orElse("");
        if (!PLACE_URL.matcher(server).matches()) {
            return new LaunchOrError(null, "x-alloverse-server must be the place's alloplace://host:port");
        }
        ObjectNode launchedBy = F.objectNode();
        Optional<String> identity = request.header("x-alloverse-launched-by");
        if (identity.isPresent()) {
            if (!(ProtocolJson.read(identity.get().getBytes(StandardCharsets.UTF_8))
                    instanceof ParseResult.Success<JsonNode> id) || !id.value().isObject()) {
                return new LaunchOrError(null, "x-alloverse-launched-by must be a JSON object (the requester's identity)");
            }
            launchedBy = (ObjectNode) id.value();
        }
        if (!(ProtocolJson.read(request.body()) instanceof ParseResult.Success<JsonNode> body) || !body.value().isObject()) {
            return new LaunchOrError(null, "the body must be a JSON object (the launch arguments)");
        }
        JsonNode token = body.value().path("avatarToken");
        if (!token.isTextual() || !TOKEN.matcher(token.textValue()).matches()) {
            return new LaunchOrError(null, "avatarToken is missing or malformed");
        }
        String placeUrl = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        return new LaunchOrError(new LaunchRequest(app, placeUrl, token.textValue(), (ObjectNode) body.value(), launchedBy), null);
    }

    private static CompletableFuture<AdminResponse> error(int status, String message) {
        return CompletableFuture.completedFuture(errorResponse(status, message));
    }

    private static AdminResponse errorResponse(int status, String message) {
        return AdminResponse.json(status, ProtocolJson.write(F.objectNode().put("error", message)));
    }

    private static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 64 ? line : line.substring(0, 64) + "...";
    }
}
