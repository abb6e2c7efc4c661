package dev.alloplace.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.identity.Base64Url;
import dev.alloplace.identity.Ed25519;
import dev.alloplace.identity.IdentityProof;
import dev.alloplace.identity.PlaceIdentity;
import dev.alloplace.identity.SignatureWorker;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof of possession of identity keys (docs/protocol-extensions.md, "Verified identities").
 * {@code identity_challenge} hands a connection a fresh server nonce with the place's signature;
 * an announce whose identity carries {@code public_key} must carry the agent's {@code signature}
 * over that nonce, the place's key and this connection, or it is refused (1008). The identity
 * the rest of the place sees (the ACL, the announce handler, {@code identity_of}) is the one sent
 * minus {@code signature}, with {@code "verified": true} and the key's canonical text when the
 * signature verified; a {@code verified} the client sent itself is dropped.
 *
 * <p>Signing and verifying run on the {@link SignatureWorker}, not on the place thread: while an
 * announce's signature is checked, that agent's later messages wait in its queue. Owned by the
 * place thread.
 */
final class IdentityGate {

    static final String CHALLENGE = "identity_challenge";
    private static final Logger log = LoggerFactory.getLogger(IdentityGate.class);
    private static final List<String> PLACE_WRITTEN = List.of("public_key", "signature", "verified");

    private final PlaceIdentity identity;
    private final LoopContext place;
    private final FairQueues queues;
    private final PlaceMetrics metrics;
    private final SignatureWorker worker;
    private final byte[] placeKey;
    private final SecureRandom random = new SecureRandom();

    IdentityGate(PlaceIdentity identity, LoopContext place, FairQueues queues, PlaceMetrics metrics) {
        this.identity = identity;
        this.place = place;
        this.queues = queues;
        this.metrics = metrics;
        this.worker = new SignatureWorker(identity.settings().maxPendingSignatures());
        this.placeKey = identity.key().publicKey();
    }

    static boolean isChallenge(Interaction interaction) {
        return CHALLENGE.equals(interaction.name()) && "place".equals(interaction.to());
    }

    /**
     * {@code ["identity_challenge", "<client nonce>"]}: a new server nonce for this connection
     * (replacing any earlier one); the answer follows once the place has signed it.
     */
    ArrayNode challenge(PlaceContext context, Agent agent, Interaction request) {
        if (request.type() != InteractionType.REQUEST) {
            return null; // an answer nobody waits for is not worth a signature
        }
        int limit = identity.settings().maxChallengesPerConnection();
        if (agent.challenges().asked() >= limit) {
            return error("too_many_challenges", "a connection may ask for " + limit + " identity challenges");
        }
        JsonNode text = request.body().get(1);
        byte[] clientNonce = text != null && text.isTextual() ? Base64Url.decode(text.textValue(),
                IdentityProof.MIN_CLIENT_NONCE_BYTES, IdentityProof.MAX_CLIENT_NONCE_BYTES) : null;
        if (clientNonce == null || request.body().size() != 2) {
            return error("invalid_nonce", "expected [\"identity_challenge\", \"<base64url, no padding, of "
                    + IdentityProof.MIN_CLIENT_NONCE_BYTES + " to " + IdentityProof.MAX_CLIENT_NONCE_BYTES
                    + " random bytes>\"]");
        }
        byte[] serverNonce = new byte[IdentityProof.SERVER_NONCE_BYTES];
        random.nextBytes(serverNonce);
        byte[] proof = IdentityProof.placeProof(clientNonce, serverNonce, agent.id(), placeKey);
        CompletableFuture<byte[]> signed = worker.submit(() -> identity.key().sign(proof));
        if (signed == null) {
            return error("busy", "the place is busy checking identities; ask again shortly");
        }
        agent.challenges().issue(new ChallengeState.Issued(clientNonce, serverNonce, place.nanoTime()));
        signed.whenComplete((signature, failure) -> place.execute(ignored -> {
            if (!present(agent)) {
                return;
            }
            if (failure != null) {
                log.warn("the place could not sign an identity challenge: {}", failure.toString());
                place.answer(agent, request, error("busy", "the place could not sign; ask again"));
                return;
            }
            place.answer(agent, request, Interaction.body(CHALLENGE, Base64Url.encode(serverNonce),
                    identity.key().publicKeyText(), Base64Url.encode(signature), agent.id()));
        }));
        return null;
    }

    /**
     * Checks the identity of an announce and hands the announce, with the identity as the place
     * keeps it, to {@code next}: at once when it claims no key, after its signature is checked
     * when it does. A claim that fails is answered and disconnected here, and never reaches
     * {@code next}.
     */
    void announce(Agent agent, Interaction announce, BiConsumer<Agent, Interaction> next) {
        ArrayNode body = announce.body();
        JsonNode claimed = body.get(4);
        if (agent.announced() || !"identity".equals(body.path(3).asText()) || claimed == null || !claimed.isObject()) {
            next.accept(agent, announce); // the announce handler answers these
            return;
        }
        ObjectNode identityClaim = (ObjectNode) claimed;
        agent.verifiedKey(null);
        JsonNode keyText = identityClaim.get("public_key");
        JsonNode signatureText = identityClaim.get("signature");
        if (keyText == null && signatureText == null) {
            next.accept(agent, identityClaim.has("verified") ? withIdentity(announce, kept(identityClaim, null)) : announce);
            return;
        }
        if (keyText == null) {
            refuse(agent, announce, "the identity has a signature but no public_key");
            return;
        }
        if (signatureText == null) {
            refuse(agent, announce, "the identity has a public_key but no signature; sign the answer to identity_challenge");
            return;
        }
        byte[] key = keyText.isTextual() ? Base64Url.decode(keyText.textValue(), Ed25519.PUBLIC_KEY_BYTES,
                Ed25519.PUBLIC_KEY_BYTES) : null;
        if (key == null) {
            refuse(agent, announce, "public_key must be base64url (no padding) of the 32 bytes of an Ed25519 key");
            return;
        }
        if (!Ed25519.acceptableKey(key)) {
            refuse(agent, announce, "public_key is no one's key (a non-canonical encoding, or a point of small order)");
            return;
        }
        byte[] signature = signatureText.isTextual() ? Base64Url.decode(signatureText.textValue(), Ed25519.SIGNATURE_BYTES,
                Ed25519.SIGNATURE_BYTES) : null;
        if (signature == null) {
            refuse(agent, announce, "signature must be base64url (no padding) of a 64-byte Ed25519 signature");
            return;
        }
        ChallengeState.Issued challenge = agent.challenges().take();
        if (challenge == null) {
            refuse(agent, announce, "no identity_challenge to answer on this connection (none was asked, or it was used)");
            return;
        }
        long ttl = identity.settings().challengeTtl().toNanos();
        if (place.nanoTime() - challenge.issuedNanos() > ttl) {
            refuse(agent, announce, "the identity_challenge expired (it is good for "
                    + identity.settings().challengeTtl().toMillis() + " ms); ask for a new one");
            return;
        }
        byte[] proof = IdentityProof.agentProof(challenge.clientNonce(), challenge.serverNonce(), agent.id(), placeKey, key);
        CompletableFuture<Boolean> checked = worker.submit(() -> Ed25519.verify(key, proof, signature));
        if (checked == null) {
            refuse(agent, announce, "the place is busy checking identities; try again shortly");
            return;
        }
        queues.hold(agent);
        checked.whenComplete((valid, failure) -> place.execute(ignored -> {
            queues.release(agent);
            if (!present(agent)) {
                return;
            }
            if (failure != null || !valid) {
                refuse(agent, announce, "the signature does not verify for this public_key, this place and this connection");
                return;
            }
            String canonical = Base64Url.encode(key);
            agent.verifiedKey(canonical);
            next.accept(agent, withIdentity(announce, kept(identityClaim, canonical)));
        }));
    }

    /** Stops the signature thread (the place has stopped). */
    void close() {
        worker.close();
    }

    private boolean present(Agent agent) {
        return !agent.leaving() && place.agentOn(agent.connection()) == agent;
    }

    private void refuse(Agent agent, Interaction announce, String why) {
        metrics.count(announce, InteractionOutcome.FORBIDDEN);
        int code = DisconnectReason.IDENTITY_REFUSED.code();
        place.answer(agent, announce, Interaction.body("announce", "error", code, why));
        place.disconnect(agent, DisconnectReason.IDENTITY_REFUSED, why);
    }

    /** The identity as the place keeps it: what the client sent, the place's own fields replaced. */
    private static ObjectNode kept(ObjectNode claimed, String verifiedKey) {
        ObjectNode kept = claimed.deepCopy();
        kept.remove(PLACE_WRITTEN);
        if (verifiedKey != null) {
            kept.put("public_key", verifiedKey);
            kept.put("verified", true);
        }
        return kept;
    }

    private static Interaction withIdentity(Interaction announce, ObjectNode identity) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode(announce.body().size());
        body.addAll(announce.body());
        body.set(4, identity);
        return new Interaction(announce.type(), announce.from(), announce.to(), announce.requestId(), body);
    }

    private static ArrayNode error(String code, String message) {
        return Interaction.body(CHALLENGE, "error", code, message);
    }
}
