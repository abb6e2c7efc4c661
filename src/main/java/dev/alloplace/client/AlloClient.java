package dev.alloplace.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.identity.Base64Url;
import dev.alloplace.identity.Ed25519;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.identity.IdentityProof;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.IntentCodec;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.state.ClientStateMirror;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent in a place, speaking the protocol as allonet does: announce, interactions matched to
 * their requests by request id, a mirror of the place's state kept from set/merge diffs and
 * acknowledged through the intent, and clock sync. All state lives on the host's thread; public
 * methods may be called from any thread.
 */
public final class AlloClient {

    private static final Logger log = LoggerFactory.getLogger(AlloClient.class);
    private static final String ANNOUNCE_REQUEST_ID = "ANN0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlloClientHost host;
    private final ConnectionId connection;
    private final ClientOptions options;
    private final ChannelLayout layout;
    private final ClientStateMirror mirror = new ClientStateMirror();
    private final Map<String, PendingRequest> pending = new HashMap<>();
    private final List<StateWaiter<?>> stateWaiters = new ArrayList<>();
    private final Map<Double, CompletableFuture<ClockSample>> clockWaiters = new HashMap<>();
    private final CompletableFuture<Disconnected> disconnected = new CompletableFuture<>();
    private Consumer<Interaction> interactionHandler = interaction -> { };
    private BiConsumer<ChannelRole, byte[]> mediaHandler = (role, bytes) -> { };
    private Consumer<byte[]> assetHandler = bytes -> { };
    private Consumer<JsonNode> otherCommandHandler = json -> { };
    private Intent intent = new Intent(null, false, 0, 0, 0, 0, Map.of(), 0);
    private long ackRevision;
    private long requestCounter;
    private long diffsApplied;
    private long diffsDropped;
    private String avatarId;
    private ScheduledFuture<?> intentTask;

    AlloClient(AlloClientHost host, ConnectionId connection, ClientOptions options) {
        this.host = host;
        this.connection = connection;
        this.options = options;
        this.layout = options.layout();
    }

    void started() {
        long interval = options.intentInterval().toNanos();
        if (interval > 0) {
            intentTask = host.loop().scheduleAtFixedRate(this::sendIntent, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    public ConnectionId connection() {
        return connection;
    }

    public ChannelLayout layout() {
        return layout;
    }

    /**
     * Announces with the options' identity and avatar; with an identity key, first asks the place
     * for an identity challenge, checks the place's proof, and signs the answer into the
     * identity. Fails with {@link AnnounceRefusedException} (the place refused the announce) or
     * {@link IdentityRefusedException} (the proof exchange before it failed).
     */
    public CompletableFuture<Announced> announce() {
        if (options.identityKey() == null) {
            return announce(options.identity(), null);
        }
        IdentityKey key = options.identityKey();
        byte[] clientNonce = new byte[32];
        RANDOM.nextBytes(clientNonce);
        return request("", "place", Interaction.body("identity_challenge", Base64Url.encode(clientNonce)))
                .thenApplyAsync(answer -> signedIdentity(key, clientNonce, answer), ForkJoinPool.commonPool())
                .thenCompose(signed -> announce(signed.identity(), signed.placeKey()));
    }

    /** The identity to announce, signed for the place that proved {@code placeKey}. */
    private record SignedIdentity(ObjectNode identity, String placeKey) {
    }

    /**
     * The identity with {@code public_key} and {@code signature} over the agent's proof of the
     * challenge answer, once the place's own signature in it holds.
     */
    private SignedIdentity signedIdentity(IdentityKey key, byte[] clientNonce, ArrayNode answer) {
        if (answer.size() != 5 || !"identity_challenge".equals(answer.path(0).asText()) || "error".equals(answer.path(1).asText())) {
            throw new IdentityRefusedException("the place refused the identity challenge: " + answer);
        }
        byte[] serverNonce = Base64Url.decode(answer.path(1).asText(), IdentityProof.SERVER_NONCE_BYTES,
                IdentityProof.SERVER_NONCE_BYTES);
        byte[] placeKey = Base64Url.decode(answer.path(2).asText(), Ed25519.PUBLIC_KEY_BYTES, Ed25519.PUBLIC_KEY_BYTES);
        byte[] placeSignature = Base64Url.decode(answer.path(3).asText(), Ed25519.SIGNATURE_BYTES, Ed25519.SIGNATURE_BYTES);
        String connectionId = answer.path(4).asText();
        if (serverNonce == null || placeKey == null || placeSignature == null || connectionId.isEmpty()
                || connectionId.length() > IdentityProof.MAX_CONNECTION_ID_BYTES || !connectionId.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IdentityRefusedException("malformed identity challenge answer " + answer);
        }
        if (!Ed25519.verify(placeKey, IdentityProof.placeProof(clientNonce, serverNonce, connectionId, placeKey), placeSignature)) {
            throw new IdentityRefusedException("the place's signature over our challenge does not verify");
        }
        String placeKeyText = Base64Url.encode(placeKey);
        if (options.expectedPlaceKey() != null && !options.expectedPlaceKey().equals(placeKeyText)) {
            throw new IdentityRefusedException("the place proved the key " + placeKeyText + ", not the expected "
                    + options.expectedPlaceKey());
        }
        ObjectNode identity = options.identity().deepCopy();
        identity.put("public_key", key.publicKeyText());
        identity.put("signature", Base64Url.encode(key.sign(IdentityProof.agentProof(clientNonce, serverNonce, connectionId,
                placeKey, key.publicKey()))));
        return new SignedIdentity(identity, placeKeyText);
    }

    private CompletableFuture<Announced> announce(ObjectNode identity, String placeKey) {
        ArrayNode body = Interaction.body("announce", "version", options.announceVersion(),
                "identity", identity, "spawn_avatar", options.avatar());
        Interaction request = new Interaction(InteractionType.REQUEST, "", "place", ANNOUNCE_REQUEST_ID, body);
        return onLoop(() -> track(request)).thenCompose(Function.identity()).thenApplyAsync(response -> {
            if ("error".equals(response.path(1).asText())) {
                // allonet's ["announce", "error", code, message]; the place's own refusals
                // (ACL denial, a bad spec) are ["announce", "error", message] without a code.
                boolean coded = response.path(2).isNumber();
                throw new AnnounceRefusedException(coded ? response.path(2).asInt() : 0,
                        coded ? response.path(3).asText() : response.path(2).asText());
            }
            if (response.size() < 3 || !response.get(1).isTextual()) {
                throw new IllegalStateException("malformed announce response " + response);
            }
            avatarId = response.get(1).textValue();
            return new Announced(avatarId, response.path(2).asText(), placeKey);
        }, host.loop());
    }

    /** The avatar id once announced, else null. */
    public String avatarId() {
        return avatarId;
    }

    /** Sends a request from the avatar and completes with the response body. */
    public CompletableFuture<ArrayNode> request(String to, ArrayNode body) {
        return onLoop(() -> sendRequest(avatarId, to, body)).thenCompose(Function.identity());
    }

    /** Sends a request from {@code from} (normally one of this agent's entities). */
    public CompletableFuture<ArrayNode> request(String from, String to, ArrayNode body) {
        return onLoop(() -> sendRequest(from, to, body)).thenCompose(Function.identity());
    }

    /** On the host's loop, so requests leave in the order they were asked for, whichever overload asked. */
    private CompletableFuture<ArrayNode> sendRequest(String from, String to, ArrayNode body) {
        String requestId = "r" + Long.toString(++requestCounter, 36) + "-" + connection.value();
        return track(new Interaction(InteractionType.REQUEST, from == null ? "" : from, to, requestId, body));
    }

    /** Sends any interaction as is: oneways, publications, responses, or deliberately bad ones. */
    public void send(Interaction interaction) {
        sendCommand(interaction.encode());
    }

    /** Sends raw bytes on the commands channel (for tests of hostile input). */
    public void sendCommand(byte[] bytes) {
        host.transport().send(connection, layout.commands(), bytes, Delivery.RELIABLE);
    }

    /** Sends raw bytes on any channel of the layout. */
    public void sendRaw(int channel, byte[] bytes, Delivery delivery) {
        host.transport().send(connection, channel, bytes, delivery);
    }

    /** Answers a request that was routed to this agent. */
    public void respond(Interaction request, ArrayNode body) {
        send(request.respond(body));
    }

    /** Receives requests, oneways, publications and unmatched responses; runs on the host thread. */
    public void onInteraction(Consumer<Interaction> handler) {
        host.loop().execute(() -> interactionHandler = handler);
    }

    /** Receives command-channel messages that are not interactions, e.g. {@code interaction_denied}. */
    public void onOtherCommand(Consumer<JsonNode> handler) {
        host.loop().execute(() -> otherCommandHandler = handler);
    }

    public void onMedia(BiConsumer<ChannelRole, byte[]> handler) {
        host.loop().execute(() -> mediaHandler = handler);
    }

    public void onAsset(Consumer<byte[]> handler) {
        host.loop().execute(() -> assetHandler = handler);
    }

    public void sendMedia(ChannelRole role, byte[] packet) {
        Delivery delivery = role == ChannelRole.AUDIO ? Delivery.RELIABLE : Delivery.UNRELIABLE;
        host.transport().send(connection, layout.channelOf(role), packet, delivery);
    }

    public void sendAsset(byte[] frame) {
        host.transport().send(connection, layout.assets(), frame, Delivery.RELIABLE);
    }

    /** Replaces the intent sent from now on; its ack revision is filled in by the client. */
    public void setIntent(Intent next) {
        host.loop().execute(() -> intent = next);
    }

    /** Sends the current intent now, with the latest applied revision as acknowledgement. */
    public void sendIntentNow() {
        host.loop().execute(this::sendIntent);
    }

    /**
     * Completes with {@code probe}'s first non-null answer, evaluated on the mirror after every
     * applied diff (and now); the map is the live mirror, valid only during the call.
     */
    public <T> CompletableFuture<T> awaitProbe(Function<Map<String, ObjectNode>, T> probe) {
        CompletableFuture<T> result = new CompletableFuture<>();
        host.loop().execute(() -> {
            StateWaiter<T> waiter = new StateWaiter<>(probe, result);
            if (!waiter.check(mirror.entities())) {
                stateWaiters.add(waiter);
            }
        });
        return result;
    }

    /** Completes with a copy of the mirror once {@code condition} holds. */
    public CompletableFuture<Map<String, ObjectNode>> awaitState(Predicate<Map<String, ObjectNode>> condition) {
        return awaitProbe(entities -> condition.test(entities) ? copy(entities) : null);
    }

    /** A copy of the mirror as it is now. */
    public CompletableFuture<Map<String, ObjectNode>> snapshot() {
        return onLoop(() -> copy(mirror.entities()));
    }

    /** Revision of the mirror; 0 before the first diff. */
    public CompletableFuture<Long> revision() {
        return onLoop(mirror::revision);
    }

    /** Counters of diffs applied and dropped (a merge from a revision the mirror lacks). */
    public CompletableFuture<long[]> diffCounters() {
        return onLoop(() -> new long[] {diffsApplied, diffsDropped});
    }

    /** One clock exchange on the clock channel. */
    public CompletableFuture<ClockSample> syncClock() {
        return onLoop(() -> {
            double clientTime = System.nanoTime() / 1e9;
            CompletableFuture<ClockSample> sample = new CompletableFuture<>();
            clockWaiters.put(clientTime, sample);
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("client_time", clientTime);
            host.transport().send(connection, layout.clock(), ProtocolJson.write(request), Delivery.UNRELIABLE);
            return sample.orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }).thenCompose(Function.identity());
    }

    /** Leaves the place gracefully, after what was sent so far; completes when the connection is gone. */
    public CompletableFuture<Disconnected> disconnect() {
        host.transport().disconnectLater(connection, 0);
        return disconnected;
    }

    /** Completes when the connection ends, whoever ended it. */
    public CompletableFuture<Disconnected> disconnected() {
        return disconnected;
    }

    void received(int channel, byte[] payload) {
        ChannelRole role = layout.roleOf(channel).orElse(null);
        if (role == null) {
            log.debug("message on unknown channel {}", channel);
            return;
        }
        switch (role) {
            case STATE_DIFFS -> receivedState(payload);
            case COMMANDS -> receivedCommand(payload);
            case CLOCK -> receivedClock(payload);
            case ASSETS -> assetHandler.accept(payload);
            case AUDIO, VIDEO, MEDIA -> mediaHandler.accept(role, payload);
        }
    }

    void closed(DisconnectCause cause, int data) {
        if (intentTask != null) {
            intentTask.cancel(false);
        }
        IllegalStateException gone = new IllegalStateException("disconnected (" + cause + ", " + data + ")");
        pending.values().forEach(request -> request.fail(gone));
        pending.clear();
        clockWaiters.values().forEach(waiter -> waiter.completeExceptionally(gone));
        clockWaiters.clear();
        stateWaiters.forEach(waiter -> waiter.result.completeExceptionally(gone));
        stateWaiters.clear();
        host.forget(connection);
        disconnected.complete(new Disconnected(cause, data));
    }

    private void receivedState(byte[] payload) {
        if (!options.mirrorState()) {
            long revision = RevisionScanner.revisionOf(payload);
            if (revision >= 0) {
                diffsApplied++;
                ackRevision = revision;
            } else {
                diffsDropped++;
            }
            return;
        }
        if (!(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> parsed)) {
            log.debug("unreadable state diff");
            return;
        }
        if (mirror.apply(parsed.value())) {
            diffsApplied++;
            ackRevision = mirror.revision();
            Map<String, ObjectNode> entities = mirror.entities();
            for (Iterator<StateWaiter<?>> it = stateWaiters.iterator(); it.hasNext(); ) {
                if (it.next().check(entities)) {
                    it.remove();
                }
            }
        } else {
            // allonet asks for a full state (ack 0) here; keeping the last revision applied lets the
            // place answer with a patch from it, which is far smaller on a lossy link.
            diffsDropped++;
        }
    }

    private void receivedCommand(byte[] payload) {
        if (!(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> parsed)) {
            log.debug("unreadable command from place");
            return;
        }
        if (!(Interaction.parse(parsed.value()) instanceof ParseResult.Success<Interaction> interaction)) {
            otherCommandHandler.accept(parsed.value());
            return;
        }
        Interaction message = interaction.value();
        if (message.type() == InteractionType.RESPONSE) {
            PendingRequest request = pending.remove(message.requestId());
            if (request != null) {
                request.complete(message.body());
                return;
            }
        }
        interactionHandler.accept(message);
    }

    private void receivedClock(byte[] payload) {
        if (!(ProtocolJson.read(payload) instanceof ParseResult.Success<JsonNode> parsed)) {
            return;
        }
        JsonNode answer = parsed.value();
        CompletableFuture<ClockSample> waiter = clockWaiters.remove(answer.path("client_time").asDouble());
        if (waiter != null && answer.path("server_time").isNumber()) {
            double now = System.nanoTime() / 1e9;
            double rtt = now - answer.path("client_time").asDouble();
            double serverTime = answer.path("server_time").asDouble();
            waiter.complete(new ClockSample(rtt, serverTime, serverTime + rtt / 2 - now));
        }
    }

    private void sendIntent() {
        Intent current = new Intent(null, intent.wantsStickMovement(), intent.xmovement(), intent.zmovement(),
                intent.yaw(), intent.pitch(), intent.poses(), ackRevision);
        host.transport().send(connection, layout.stateDiffs(), ProtocolJson.write(IntentCodec.encode(current)),
                Delivery.UNRELIABLE);
    }

    private CompletableFuture<ArrayNode> track(Interaction request) {
        CompletableFuture<ArrayNode> response = new CompletableFuture<>();
        ScheduledFuture<?> timeout = host.loop().schedule(() -> {
            PendingRequest expired = pending.remove(request.requestId());
            if (expired != null) {
                expired.fail(new TimeoutException("no response to " + request.name() + " within "
                        + options.requestTimeout().toMillis() + " ms"));
            }
        }, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(request.requestId(), new PendingRequest(response, timeout));
        send(request);
        return response;
    }

    private <T> CompletableFuture<T> onLoop(Supplier<T> action) {
        return CompletableFuture.supplyAsync(action, host.loop());
    }

    private static Map<String, ObjectNode> copy(Map<String, ObjectNode> entities) {
        Map<String, ObjectNode> copy = new HashMap<>();
        entities.forEach((id, entity) -> copy.put(id, entity.deepCopy()));
        return copy;
    }

    private record PendingRequest(CompletableFuture<ArrayNode> response, ScheduledFuture<?> timeout) {
        void complete(ArrayNode body) {
            timeout.cancel(false);
            response.complete(body);
        }

        void fail(Throwable reason) {
            timeout.cancel(false);
            response.completeExceptionally(reason);
        }
    }

    private static final class StateWaiter<T> {
        final Function<Map<String, ObjectNode>, T> probe;
        final CompletableFuture<T> result;

        StateWaiter(Function<Map<String, ObjectNode>, T> probe, CompletableFuture<T> result) {
            this.probe = probe;
            this.result = result;
        }

        boolean check(Map<String, ObjectNode> entities) {
            try {
                T answer = probe.apply(entities);
                if (answer != null) {
                    result.complete(answer);
                    return true;
                }
                return false;
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return true;
            }
        }
    }
}
