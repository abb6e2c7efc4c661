package dev.alloplace.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Agones SDK sidecar's REST API (the grpc-gateway of the SDK server), on
 * 127.0.0.1, for contract tests. It serves the endpoints as Agones documents them (paths,
 * methods, JSON bodies, errors as {@code {"code", "message", "details"}} with the gateway's HTTP
 * status) and keeps the GameServer they change: state, {@code agones.dev/sdk-} labels and
 * annotations, Lists and Counters, and a {@code /watch/gameserver} stream of newline-delimited
 * {@code {"result": GameServer}} that starts with the GameServer as it is, as the SDK server does.
 * Whatever the documentation does not allow is answered with an error and kept in
 * {@link #violations()}, which every test expects empty.
 */
public final class StandInAgonesSdk implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where SetLabel and SetAnnotation put their keys. */
    public static final String SDK_PREFIX = "agones.dev/sdk-";
    private static final Pattern LIST_PATH = Pattern.compile("/v1beta1/lists/([^/:]+)(:addValue|:removeValue)?");
    private static final Pattern COUNTER_PATH = Pattern.compile("/v1beta1/counters/([^/:]+)");
    /** Kubernetes: a label value, and the name part of a qualified key (63 characters at most). */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final String END = "\u0000end";

    /** One request as it arrived. */
    public record Request(String method, String path, String contentType, String body, long atNanos) {
        public boolean is(String method, String path) {
            return this.method.equals(method) && this.path.equals(path);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private record ListState(long capacity, Set<String> values) {
    }

    private static final class CounterState {
        long count;
        long capacity;

        CounterState(long capacity) {
            this.capacity = capacity;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Request> requests = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<BlockingQueue<String>> watchers = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, ListState> lists = new LinkedHashMap<>();
    private final Map<String, CounterState> counters = new LinkedHashMap<>();
    private String state = "Scheduled";
    private String address = "127.0.0.1";
    private int hostPort = 7654;

    private StandInAgonesSdk(int port) throws IOException {
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stand-in-agones-sdk");
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** A sidecar on a free port, its GameServer declaring List {@code players} of capacity 10. */
    public static StandInAgonesSdk start() throws IOException {
        return start(0);
    }

    public static StandInAgonesSdk start(int port) throws IOException {
        StandInAgonesSdk sdk = new StandInAgonesSdk(port);
        sdk.declareList("players", 10);
        sdk.declareCounter("players", 100);
        sdk.server.start();
        return sdk;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Declares a List in the GameServer spec (replacing one of that name). */
    public synchronized StandInAgonesSdk declareList(String name, long capacity) {
        lists.put(name, new ListState(capacity, new LinkedHashSet<>()));
        return this;
    }

    public synchronized StandInAgonesSdk declareCounter(String name, long capacity) {
        counters.put(name, new CounterState(capacity));
        return this;
    }

    /**
     * What a GameServerAllocation does: the GameServer becomes Allocated with the allocation's
     * {@code metadata} labels and annotations, and every watch hears of it.
     */
    public synchronized void allocate(Map<String, String> newLabels, Map<String, String> newAnnotations) {
        state = "Allocated";
        labels.putAll(newLabels);
        annotations.putAll(newAnnotations);
        changed();
    }

    // ------------------------------------------------------------------ what tests read

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized long count(String method, String path) {
        return requests.stream().filter(r -> r.is(method, path)).count();
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Agones moved the GameServer: players now reach it at {@code address}:{@code port}. */
    public synchronized void reachableAt(String newAddress, int port) {
        address = newAddress;
        hostPort = port;
        changed();
    }

    public synchronized String state() {
        return state;
    }

    public synchronized Map<String, String> labels() {
        return Map.copyOf(labels);
    }

    public synchronized Map<String, String> annotations() {
        return Map.copyOf(annotations);
    }

    public synchronized Set<String> listValues(String name) {
        return Set.copyOf(lists.get(name).values());
    }

    public synchronized long counter(String name) {
        return counters.get(name).count;
    }

    /** The first request (of all so far and to come) that matches, within {@code timeout}. */
    public Optional<Request> awaitRequest(Predicate<Request> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Request r : requests) {
                    if (match.test(r)) {
                        return Optional.of(r);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Waits until {@code condition} (read under this sidecar's lock) holds; false on timeout. */
    public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        }
    }

    /**
     * Waits for a stretch of {@code window} in which no {@code method path} request arrives;
     * true when one passed before {@code timeout}.
     */
    public boolean awaitQuiet(String method, String path, Duration window, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                long now = System.nanoTime();
                long last = requests.stream().filter(r -> r.is(method, path)).mapToLong(Request::atNanos)
                        .max().orElse(now - window.toNanos());
                if (now - last >= window.toNanos()) {
                    return true;
                }
                if (now >= deadline) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, Math.min(last + window.toNanos(), deadline) - now));
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            for (BlockingQueue<String> watcher : watchers) {
                watcher.add(END);
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------ the API

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        Request request = new Request(method, path, contentType, body, System.nanoTime());
        if (path.equals("/watch/gameserver") && method.equals("GET")) {
            synchronized (this) {
                requests.add(request);
                notifyAll();
            }
            stream(exchange);
            return;
        }
        Answer answer;
        synchronized (this) {
            // Answered and recorded at once: whoever sees the request sees what it changed.
            answer = answer(method, path, body);
            requests.add(request);
            if (answer.status() >= 400 && answer.violation()) {
                violations.add(method + " " + path + " " + body + ": " + answer.body());
            }
            notifyAll();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An HTTP answer; {@code violation} when the request broke the documented contract. */
    private record Answer(int status, String body, boolean violation) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body.toString(), false);
        }

        /** A gRPC status as the gateway maps it: code, HTTP status, message. */
        static Answer error(int code, int http, String message, boolean violation) {
            ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
            error.putArray("details");
            return new Answer(http, error.toString(), violation);
        }

        static Answer badRequest(String message) {
            return error(3, 400, message, true);
        }
    }

    private Answer answer(String method, String path, String body) {
        switch (path) {
            case "/ready", "/health", "/shutdown", "/allocate" -> {
                if (!method.equals("POST")) {
                    return methodNotAllowed(method, path);
                }
                Optional<String> problem = fields(body, Set.of());
                if (problem.isPresent()) {
                    return Answer.badRequest(problem.get());
                }
                switch (path) {
                    case "/ready" -> setState("Ready");
                    case "/shutdown" -> setState("Shutdown");
                    case "/allocate" -> setState("Allocated");
                    default -> {
                    }
                }
                return Answer.ok(JSON.createObjectNode());
            }
            case "/gameserver" -> {
                return method.equals("GET") ? Answer.ok(gameServer()) : methodNotAllowed(method, path);
            }
            case "/metadata/label", "/metadata/annotation" -> {
                if (!method.equals("PUT")) {
                    return methodNotAllowed(method, path);
                }
                Optional<String> problem = fields(body, Set.of("key", "value"));
                if (problem.isPresent()) {
                    return Answer.badRequest(problem.get());
                }
                JsonNode kv = read(body);
                String key = kv.path("key").asText("");
                String value = kv.path("value").asText("");
                boolean label = path.endsWith("label");
                String keyName = "sdk-" + key; // the name part of the stored key agones.dev/sdk-<key>
                if (keyName.length() > 63 || !LABEL_NAME.matcher(keyName).matches()
                        || (label && (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()))) {
                    return Answer.badRequest("invalid " + (label ? "label " : "annotation ") + key + "=" + value);
                }
                (label ? labels : annotations).put(SDK_PREFIX + key, value);
                changed();
                return Answer.ok(JSON.createObjectNode());
            }
            default -> {
            }
        }
        Matcher list = LIST_PATH.matcher(path);
        if (list.matches()) {
            return listCall(method, list.group(1), list.group(2), body);
        }
        Matcher counter = COUNTER_PATH.matcher(path);
        if (counter.matches()) {
            return counterCall(method, counter.group(1), body);
        }
        return Answer.error(5, 404, "Not Found: " + path, true);
    }

    private Answer listCall(String method, String name, String verb, String body) {
        ListState list = lists.get(name);
        if (verb == null) {
            if (!method.equals("GET")) {
                return methodNotAllowed(method, "/v1beta1/lists/" + name);
            }
            return list == null ? Answer.error(5, 404, "List " + name + " not found", false) : Answer.ok(listJson(name, list));
        }
        if (!method.equals("POST")) {
            return methodNotAllowed(method, "/v1beta1/lists/" + name + verb);
        }
        Optional<String> problem = fields(body, Set.of("name", "value"));
        if (problem.isPresent()) {
            return Answer.badRequest(problem.get());
        }
        JsonNode value = read(body).get("value");
        if (value == null || !value.isTextual()) {
            return Answer.badRequest("value is required and must be a string");
        }
        if (list == null) {
            return Answer.error(5, 404, "List " + name + " not found", false);
        }
        if (verb.equals(":addValue")) {
            if (list.values().contains(value.asText())) {
                return Answer.error(6, 409, "already exists. Value: " + value.asText() + " already in List: " + name, false);
            }
            if (list.values().size() >= list.capacity()) {
                return Answer.error(11, 400, "out of range. No available capacity. Current Capacity: " + list.capacity(),
                        false);
            }
            list.values().add(value.asText());
        } else if (!list.values().remove(value.asText())) {
            return Answer.error(5, 404, "not found. Value: " + value.asText() + " not found in List: " + name, false);
        }
        changed();
        return Answer.ok(listJson(name, list));
    }

    private Answer counterCall(String method, String name, String body) {
        CounterState counter = counters.get(name);
        if (method.equals("GET")) {
            return counter == null ? Answer.error(5, 404, "Counter " + name + " not found", false)
                    : Answer.ok(counterJson(name, counter));
        }
        if (!method.equals("PATCH")) {
            return methodNotAllowed(method, "/v1beta1/counters/" + name);
        }
        Optional<String> problem = fields(body, Set.of("name", "count", "capacity", "countDiff"));
        if (problem.isPresent()) {
            return Answer.badRequest(problem.get());
        }
        if (counter == null) {
            return Answer.error(5, 404, "Counter " + name + " not found", false);
        }
        JsonNode update = read(body);
        Optional<Long> count = int64(update.get("count"));
        Optional<Long> capacity = int64(update.get("capacity"));
        Optional<Long> diff = int64(update.get("countDiff"));
        if ((update.has("count") && count.isEmpty()) || (update.has("capacity") && capacity.isEmpty())
                || (update.has("countDiff") && diff.isEmpty())) {
            return Answer.badRequest("count, capacity and countDiff are int64 (a JSON string or number)");
        }
        long newCapacity = capacity.orElse(counter.capacity);
        long newCount = count.orElse(counter.count) + diff.orElse(0L);
        if (newCount < 0 || newCount > newCapacity) {
            return Answer.error(11, 400, "out of range. Count must be within range [0,Capacity]", false);
        }
        counter.capacity = newCapacity;
        counter.count = newCount;
        changed();
        return Answer.ok(counterJson(name, counter));
    }

    private static Answer methodNotAllowed(String method, String path) {
        return Answer.error(12, 405, "Method Not Allowed: " + method + " " + path, true);
    }

    /** Why {@code body} is not a JSON object with only {@code allowed} fields (the gateway rejects unknown ones). */
    private static Optional<String> fields(String body, Set<String> allowed) {
        JsonNode node = read(body);
        if (node == null || !node.isObject()) {
            return Optional.of("the body must be a JSON object (the documentation sends {} for Empty): " + body);
        }
        for (var it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!allowed.contains(field)) {
                return Optional.of("unknown field \"" + field + "\"");
            }
        }
        return Optional.empty();
    }

    private static JsonNode read(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<Long> int64(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return Optional.of(node.asLong());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Long.parseLong(node.asText()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ the GameServer

    private void setState(String next) {
        if (!next.equals(state)) {
            state = next;
            changed();
        }
    }

    /** Tells every watch (called with the lock held). */
    private void changed() {
        String line = JSON.createObjectNode().set("result", gameServer()).toString();
        for (BlockingQueue<String> watcher : watchers) {
            watcher.add(line);
        }
        notifyAll();
    }

    private ObjectNode gameServer() {
        ObjectNode gs = JSON.createObjectNode();
        ObjectNode meta = gs.putObject("object_meta");
        meta.put("name", "alloplace-test-x7k2p").put("namespace", "default").put("uid", "3f6c2b1e")
                .put("resource_version", Integer.toString(requests.size())).put("generation", "1")
                .put("creation_timestamp", "1700000000");
        labels.forEach(meta.putObject("labels")::put);
        annotations.forEach(meta.putObject("annotations")::put);
        gs.putObject("spec").putObject("health").put("period_seconds", 5).put("failure_threshold", 3)
                .put("initial_delay_seconds", 10);
        ObjectNode status = gs.putObject("status");
        status.put("state", state).put("address", address);
        status.putArray("ports").addObject().put("name", "default").put("port", hostPort);
        ObjectNode statusLists = status.putObject("lists");
        lists.forEach((name, list) -> statusLists.set(name, listJson(null, list)));
        ObjectNode statusCounters = status.putObject("counters");
        counters.forEach((name, counter) -> statusCounters.set(name, counterJson(null, counter)));
        return gs;
    }

    private static ObjectNode listJson(String name, ListState list) {
        ObjectNode node = JSON.createObjectNode();
        if (name != null) {
            node.put("name", name);
        }
        node.put("capacity", Long.toString(list.capacity()));
        ArrayNode values = node.putArray("values");
        list.values().forEach(values::add);
        return node;
    }

    private static ObjectNode counterJson(String name, CounterState counter) {
        ObjectNode node = JSON.createObjectNode();
        if (name != null) {
            node.put("name", name);
        }
        return node.put("count", Long.toString(counter.count)).put("capacity", Long.toString(counter.capacity));
    }

    /** {@code /watch/gameserver}: the GameServer now, then one line per change, until either side goes. */
    private void stream(HttpExchange exchange) throws IOException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        synchronized (this) {
            lines.add(JSON.createObjectNode().set("result", gameServer()).toString());
            watchers.add(lines);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                String line = lines.take();
                if (line.equals(END)) {
                    break;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // The place went away; nothing to tell.
        } finally {
            synchronized (this) {
                watchers.remove(lines);
            }
            exchange.close();
        }
    }
}
