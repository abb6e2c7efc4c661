package dev.alloplace.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of the SDK's GameServer the place acts on: its state, the labels and annotations an
 * allocation may have set, and where players reach it (its address and first port; "" and 0 until
 * Agones has given them).
 */
public record GameServerView(String name, String state, Map<String, String> labels, Map<String, String> annotations,
        String address, int port) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GameServerView {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** The address and first port players reach the place at, once Agones has given both. */
    public Optional<InetSocketAddress> publicAddress() {
        return address.isEmpty() || port == 0 ? Optional.empty()
                : Optional.of(InetSocketAddress.createUnresolved(address, port));
    }

    public boolean allocated() {
        return "Allocated".equals(state);
    }

    /** Reads a {@code GET /gameserver} body. */
    public static Optional<GameServerView> fromGameServer(String body) {
        return read(body).flatMap(GameServerView::of);
    }

    /** Reads one line of {@code /watch/gameserver}: {@code {"result": GameServer}}, or an error object. */
    public static Optional<GameServerView> fromWatchLine(String line) {
        return read(line).map(node -> node.get("result")).flatMap(GameServerView::of);
    }

    private static Optional<JsonNode> read(String text) {
        try {
            return Optional.ofNullable(JSON.readTree(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<GameServerView> of(JsonNode gameServer) {
        if (gameServer == null || !gameServer.isObject() || !gameServer.path("object_meta").isObject()) {
            return Optional.empty();
        }
        JsonNode meta = gameServer.get("object_meta");
        JsonNode status = gameServer.path("status");
        int port = status.path("ports").path(0).path("port").asInt(0);
        String address = status.path("address").asText("");
        return Optional.of(new GameServerView(meta.path("name").asText(""), status.path("state").asText(""),
                strings(meta.path("labels")), strings(meta.path("annotations")), address.length() <= 253 ? address : "",
                port > 0 && port <= 65535 ? port : 0));
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.fields().forEachRemaining(entry -> {
            if (entry.getValue().isTextual()) {
                out.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return out;
    }
}
