package dev.alloplace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.config.Settings;
import dev.alloplace.fleet.AgonesSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Kubernetes objects of deploy/kubernetes and checks them against what the server
 * really does: its ports, its health-ping interval, the settings its environment sets, the
 * List it reports players to. Used on the files as written and, where kubectl exists, on what
 * {@code kubectl kustomize} renders from them.
 */
final class FleetManifests {

    static final Path ROOT = Path.of("deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([mMgG])");

    private FleetManifests() {
    }

    /** Every document of a (multi-document) YAML text. */
    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    static List<JsonNode> documents(Path file) throws IOException {
        return documents(Files.readString(file));
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = ofKind(objects, kind);
        assertThat(found).as("one " + kind).hasSize(1);
        return found.get(0);
    }

    /** The place container of a Fleet's GameServer template. */
    static JsonNode placeContainer(JsonNode fleet) {
        JsonNode gameServer = fleet.path("spec").path("template").path("spec");
        String name = gameServer.path("container").asText();
        for (JsonNode container : gameServer.path("template").path("spec").path("containers")) {
            if (container.path("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("the GameServer names container \"" + name + "\", which its pod does not have");
    }

    /** The server's configuration as the container's environment makes it (Secrets stand in as "from-secret"). */
    static Config config(JsonNode container) throws Exception {
        return ConfigLoader.load(Map.of(), environment(container), null);
    }

    static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode var : container.path("env")) {
            env.put(var.path("name").asText(), var.has("value") ? var.path("value").asText() : "from-secret");
        }
        return env;
    }

    /**
     * What must hold of any alloplace Fleet here; returns the server's configuration for more
     * specific checks.
     */
    static Config checkFleet(JsonNode fleet) throws Exception {
        assertThat(fleet.path("apiVersion").asText()).isEqualTo("agones.dev/v1");
        JsonNode gameServer = fleet.path("spec").path("template").path("spec");
        JsonNode container = placeContainer(fleet);
        Config config = config(container);

        JsonNode ports = gameServer.path("ports");
        assertThat(ports).as("one port: ENet").hasSize(1);
        JsonNode enet = ports.get(0);
        assertThat(enet.path("protocol").asText("UDP")).isEqualTo("UDP");
        assertThat(enet.path("containerPort").asInt()).as("the port the server binds").isEqualTo(config.get(Settings.PORT));

        AgonesSettings agones = AgonesSettings.from(config, Map.of(AgonesSettings.HTTP_PORT_ENV, "9358"));
        assertThat(agones.enabled()).as("the Agones integration is on where the sidecar is").isTrue();
        assertThat(agones.problem()).isNull();
        JsonNode health = gameServer.path("health");
        assertThat(health.path("disabled").asBoolean(false)).isFalse();
        assertThat(health.path("periodSeconds").asLong() * 1000)
                .as("health.periodSeconds leaves room for two pings of fleet.health_interval_ms")
                .isGreaterThanOrEqualTo(2 * agones.healthInterval().toMillis());
        assertThat(health.path("failureThreshold").asInt()).isBetween(1, 10);
        assertThat(health.path("initialDelaySeconds").asInt()).as("time for the JVM to start").isGreaterThanOrEqualTo(10);

        switch (agones.players()) {
            case LIST -> {
                JsonNode list = gameServer.path("lists").path(agones.playersKey());
                assertThat(list.isObject()).as("List " + agones.playersKey() + " is declared").isTrue();
                assertThat(list.path("capacity").asInt()).isPositive()
                        .isLessThanOrEqualTo(config.get(Settings.MAX_PEERS)).isLessThanOrEqualTo(1000);
            }
            case COUNTER -> assertThat(gameServer.path("counters").path(agones.playersKey()).isObject()).isTrue();
            case NONE -> {
            }
        }

        if (!config.get(Settings.ADMIN_BIND).isLoopbackAddress()) {
            assertThat(envVar(container, Settings.ADMIN_TOKEN.env()).path("valueFrom").path("secretKeyRef").isObject())
                    .as("the admin token comes from a Secret").isTrue();
        }
        assertThat(probe(container, "readinessProbe", "/readyz")).isEqualTo(config.get(Settings.ADMIN_PORT));
        assertThat(probe(container, "livenessProbe", "/healthz")).isEqualTo(config.get(Settings.ADMIN_PORT));

        String dataDir = config.get(Settings.DATA_DIR).toString();
        JsonNode mount = find(container.path("volumeMounts"), "mountPath", dataDir);
        assertThat(mount.isObject()).as("the data directory is on a volume").isTrue();
        JsonNode pod = gameServer.path("template").path("spec");
        assertThat(find(pod.path("volumes"), "name", mount.path("name").asText()).isObject()).isTrue();

        JsonNode resources = container.path("resources");
        long request = bytes(resources.path("requests").path("memory").asText());
        long limit = bytes(resources.path("limits").path("memory").asText());
        assertThat(resources.path("requests").path("cpu").isMissingNode()).as("a CPU request").isFalse();
        assertThat(request).isPositive().isLessThanOrEqualTo(limit);
        Matcher xmx = XMX.matcher(envVar(container, "JDK_JAVA_OPTIONS").path("value").asText());
        assertThat(xmx.find()).as("the heap is capped").isTrue();
        long heap = Long.parseLong(xmx.group(1)) << (xmx.group(2).equalsIgnoreCase("g") ? 30 : 20);
        assertThat(request).as("the capacity model: a room's RSS is at most about twice the heap cap")
                .isGreaterThanOrEqualTo(heap * 2);
        assertThat(limit).as("the capacity model: a full heap makes RSS about 2.2 times its cap")
                .isGreaterThanOrEqualTo(heap * 5 / 2);
        assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                .as("room for the daemon's 4.5 s shutdown").isGreaterThanOrEqualTo(5);
        return config;
    }

    static void checkAutoscaler(JsonNode autoscaler, JsonNode fleet) throws Exception {
        assertThat(autoscaler.path("apiVersion").asText()).isEqualTo("autoscaling.agones.dev/v1");
        assertThat(autoscaler.path("spec").path("fleetName").asText()).isEqualTo(fleet.path("metadata").path("name").asText());
        JsonNode policy = autoscaler.path("spec").path("policy");
        switch (policy.path("type").asText()) {
            case "Buffer" -> {
                JsonNode buffer = policy.path("buffer");
                assertThat(buffer.path("bufferSize").asInt()).isPositive();
                assertThat(buffer.path("maxReplicas").asInt()).isGreaterThanOrEqualTo(buffer.path("minReplicas").asInt());
            }
            case "List" -> {
                JsonNode list = policy.path("list");
                AgonesSettings agones = AgonesSettings.from(config(placeContainer(fleet)), Map.of(AgonesSettings.HTTP_PORT_ENV, "1"));
                assertThat(list.path("key").asText()).as("the List the places fill").isEqualTo(agones.playersKey());
                int perPlace = fleet.path("spec").path("template").path("spec").path("lists").path(agones.playersKey())
                        .path("capacity").asInt();
                assertThat(list.path("bufferSize").asInt() % perPlace).as("the buffer is whole places").isZero();
                assertThat(list.path("maxCapacity").asInt()).isGreaterThan(list.path("minCapacity").asInt());
            }
            default -> throw new AssertionError("unexpected policy " + policy);
        }
    }

    private static JsonNode envVar(JsonNode container, String name) {
        return find(container.path("env"), "name", name);
    }

    /** The container port a probe on {@code path} targets (by name or number). */
    private static int probe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as(probe).isEqualTo(path);
        JsonNode port = get.path("port");
        return port.isInt() ? port.asInt() : find(container.path("ports"), "name", port.asText()).path("containerPort").asInt();
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.path(field).asText().equals(value)) {
                return element;
            }
        }
        return MissingNode.getInstance();
    }

    /** Kubernetes quantities: {@code 320Mi}, {@code 1Gi}, {@code 500M}. */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?").matcher(quantity);
        assertThat(m.matches()).as("a memory quantity: " + quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "K" -> n * 1000;
            case "M" -> n * 1000_000;
            case "G" -> n * 1000_000_000;
            default -> n;
        };
    }
}
