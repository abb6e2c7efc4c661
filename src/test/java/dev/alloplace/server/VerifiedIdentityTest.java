package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static dev.alloplace.testing.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.Announced;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.IdentityRefusedException;
import dev.alloplace.identity.Base64Url;
import dev.alloplace.identity.Ed25519;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.identity.IdentityProof;
import dev.alloplace.identity.KeyFile;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.PlaceConfig;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified identities over real ENet: an agent proves its public key by signing the place's
 * challenge in its announce, the place reports the key as verified to everyone who asks, and
 * every way of claiming a key without holding it (or of reusing someone's proof) is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class VerifiedIdentityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    @TempDir
    Path temp;

    // ------------------------------------------------------------------ helpers

    /** An identity_challenge answer, and the client nonce it answers. */
    private record Challenge(byte[] clientNonce, byte[] serverNonce, String placeKey, byte[] placeSignature,
            String connectionId) {
    }

    private static Challenge challenge(TestPlace place, AlloClient client) throws Exception {
        byte[] clientNonce = new byte[32];
        RANDOM.nextBytes(clientNonce);
        ArrayNode answer = place.ask(client, "identity_challenge", Base64Url.encode(clientNonce));
        assertThat(answer).as("answer " + answer).hasSize(5);
        return new Challenge(clientNonce, Base64Url.decode(answer.get(1).asText(), 32, 32), answer.get(2).asText(),
                Base64Url.decode(answer.get(3).asText(), 64, 64), answer.get(4).asText());
    }

    /** {@code {"display_name", "public_key", "signature"}} as a client that holds {@code key} signs it. */
    private static ObjectNode signed(String name, IdentityKey key, Challenge challenge) {
        byte[] proof = IdentityProof.agentProof(challenge.clientNonce(), challenge.serverNonce(), challenge.connectionId(),
                Base64Url.decode(challenge.placeKey(), 32, 32), key.publicKey());
        ObjectNode identity = ClientOptions.defaults(name).identity().deepCopy();
        identity.put("public_key", key.publicKeyText());
        identity.put("signature", Base64Url.encode(key.sign(proof)));
        return identity;
    }

    /** Sends an announce with this identity on the connection and returns the place's answer. */
    private static ArrayNode announce(TestPlace place, AlloClient client, String name, JsonNode identity) throws Exception {
        return place.ask(client, "announce", "version", 4, "identity", identity,
                "spawn_avatar", ClientOptions.defaults(name).avatar());
    }

    /** The client's own announce (as {@link AlloClient#announce()} makes it), answered. */
    private static Announced announced(TestPlace place, AlloClient client) throws Exception {
        return await(place.nameOf(client) + "'s announce is answered", client.announce());
    }

    /** Why the client's own announce failed. */
    private static Throwable refused(TestPlace place, AlloClient client) throws Exception {
        return failure(place.nameOf(client) + "'s announce", client.announce());
    }

    private static int disconnectedWith(TestPlace place, AlloClient client) throws Exception {
        return await(place.nameOf(client) + " is disconnected", client.disconnected()).data();
    }

    private static void assertRefusedAs(TestPlace place, AlloClient client, ArrayNode answer, String why) throws Exception {
        assertThat(answer.get(0).asText()).isEqualTo("announce");
        assertThat(answer.get(1).asText()).isEqualTo("error");
        assertThat(answer.get(2).asInt()).as(answer.toString()).isEqualTo(1008);
        assertThat(answer.get(3).asText()).contains(why);
        assertThat(disconnectedWith(place, client)).as("disconnected with 1008").isEqualTo(1008);
    }

    private static JsonNode agentNamed(JsonNode agents, String name) {
        for (JsonNode agent : agents) {
            if (name.equals(agent.path("display_name").asText())) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + name + " in " + agents);
    }

    /** The identity the place keeps for the agent named {@code name}. */
    private static JsonNode keptIdentity(TestPlace place, String name) throws Exception {
        return place.onPlace(p -> p.agents().stream()
                .filter(a -> name.equals(a.displayName())).findFirst().orElseThrow().identity());
    }

    private Path rules(String yaml) throws Exception {
        Path file = temp.resolve("rules-" + RANDOM.nextInt(1_000_000) + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String quoted(String guard) {
        return "'" + guard.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------ stories

    @Test
    void anAgentWithAKeyJoinsVerifiedAndEveryoneSeesItsKey(TestPlace place) throws Exception {
        IdentityKey key = IdentityKey.generate();
        AlloClient annie = place.connect(ClientOptions.defaults("annie").withIdentityKey(key));
        Announced announced = announced(place, annie);
        AlloClient bob = place.join("bob");

        String placeKey = place.admin().json("/api/place").path("public_key").asText();
        assertThat(announced.placeKey()).as("the client checked the place's proof of this key").isEqualTo(placeKey)
                .isEqualTo(place.place().publicKey());
        JsonNode agents = place.admin().json("/api/agents");
        assertThat(agentNamed(agents, "annie").path("identity").toString()).isEqualTo(
                "{\"display_name\":\"annie\",\"public_key\":\"" + key.publicKeyText() + "\",\"verified\":true}");
        assertThat(agentNamed(agents, "bob").path("identity").toString()).as("no key: unverified, as before")
                .isEqualTo("{\"display_name\":\"bob\",\"public_key\":null,\"verified\":false}");

        ArrayNode listed = place.ask(bob, "list_agents");
        assertThat(agentNamed(listed.get(2), "annie").path("identity").path("public_key").asText())
                .as("another agent sees the verified key").isEqualTo(key.publicKeyText());
        assertThat(agentNamed(listed.get(2), "annie").path("identity").path("verified").asBoolean()).isTrue();
        assertThat(agentNamed(listed.get(2), "bob").path("identity").path("verified").asBoolean()).isFalse();
        assertThat(keptIdentity(place, "annie").toString()).as("the identity the place keeps: the key, verified, no signature")
                .isEqualTo("{\"display_name\":\"annie\",\"public_key\":\"" + key.publicKeyText() + "\",\"verified\":true}");
    }

    @Test
    void aSecondAnnounceNeitherDropsNorReplacesTheVerifiedKey(TestPlace place) throws Exception {
        IdentityKey key = IdentityKey.generate();
        AlloClient client = place.connect(ClientOptions.defaults("steady").withIdentityKey(key));
        announced(place, client);

        ArrayNode again = announce(place, client, "steady", ClientOptions.defaults("steady").identity());
        assertThat(again.toString()).isEqualTo("[\"announce\",\"error\",\"already announced\"]");
        ObjectNode otherKey = ClientOptions.defaults("steady").identity().deepCopy();
        otherKey.put("public_key", IdentityKey.generate().publicKeyText()).put("signature", Base64Url.encode(new byte[64]));
        assertThat(announce(place, client, "steady", otherKey).toString())
                .isEqualTo("[\"announce\",\"error\",\"already announced\"]");
        assertThat(agentNamed(place.admin().json("/api/agents"), "steady").path("identity").path("public_key").asText())
                .isEqualTo(key.publicKeyText());
    }

    @Test
    void theJavaClientSignsWithAKeyFileOrAJdkKeyPair(TestPlace place) throws Exception {
        Path file = temp.resolve("annie-key.json");
        IdentityKey written = IdentityKey.generate();
        KeyFile.create(file, written);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        announced(place, place.connect(ClientOptions.defaults("from-file").withKeyFile(file)));
        announced(place, place.connect(ClientOptions.defaults("from-jdk").withKeyPair(pair)));
        JsonNode agents = place.admin().json("/api/agents");
        assertThat(agentNamed(agents, "from-file").path("identity").path("public_key").asText())
                .isEqualTo(written.publicKeyText());
        assertThat(agentNamed(agents, "from-jdk").path("identity").path("public_key").asText())
                .isEqualTo(Base64Url.encode(Ed25519.raw(pair.getPublic())));
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedAndTheConnectionClosed(TestPlace place) throws Exception {
        AlloClient mallory = place.connect(ClientOptions.defaults("mallory"));
        IdentityKey victim = IdentityKey.generate();
        ObjectNode identity = signed("mallory", IdentityKey.generate(), challenge(place, mallory));
        identity.put("public_key", victim.publicKeyText());

        assertRefusedAs(place, mallory, announce(place, mallory, "mallory", identity), "does not verify");
        int entities = place.onPlace(p -> p.world().entityCount());
        assertThat(entities).as("no avatar").isEqualTo(1);
    }

    @Test
    void aTamperedSignatureIsRefused(TestPlace place) throws Exception {
        AlloClient client = place.connect(ClientOptions.defaults("tamper"));
        ObjectNode identity = signed("tamper", IdentityKey.generate(), challenge(place, client));
        byte[] signature = Base64Url.decode(identity.get("signature").asText(), 64, 64);
        signature[10] ^= 1;
        identity.put("signature", Base64Url.encode(signature));

        assertRefusedAs(place, client, announce(place, client, "tamper", identity), "does not verify");
    }

    @Test
    void theIdentityPointWithItsTrivialSignatureIsRefused(TestPlace place) throws Exception {
        AlloClient client = place.connect(ClientOptions.defaults("nobody"));
        challenge(place, client);
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 1;
        byte[] trivial = new byte[64];
        trivial[0] = 1;
        ObjectNode identity = ClientOptions.defaults("nobody").identity().deepCopy();
        identity.put("public_key", Base64Url.encode(identityPoint)).put("signature", Base64Url.encode(trivial));

        assertRefusedAs(place, client, announce(place, client, "nobody", identity), "no one's key");
    }

    @Test
    void anAnnounceCapturedOnOneConnectionIsRefusedOnAnother(TestPlace place) throws Exception {
        IdentityKey key = IdentityKey.generate();
        AlloClient victim = place.connect(ClientOptions.defaults("victim"));
        ObjectNode captured = signed("victim", key, challenge(place, victim));

        AlloClient replayer = place.connect(ClientOptions.defaults("victim"));
        challenge(place, replayer); // the replayer has a challenge of its own, but the captured proof names another
        assertRefusedAs(place, replayer, announce(place, replayer, "victim", captured), "does not verify");

        AlloClient lazy = place.connect(ClientOptions.defaults("victim"));
        assertRefusedAs(place, lazy, announce(place, lazy, "victim", captured), "no identity_challenge");

        ArrayNode own = announce(place, victim, "victim", captured);
        assertThat(own.get(0).asText()).isEqualTo("announce");
        assertThat(own.get(1).asText()).as("on its own connection the proof holds: " + own).matches("[a-y]{10}");
    }

    @Test
    void anAnnounceSignedForOnePlaceIsRefusedByAnother(TestPlace first) throws Exception {
        try (TestPlace second = TestPlace.start()) {
            IdentityKey key = IdentityKey.generate();
            AlloClient there = first.connect(ClientOptions.defaults("traveller"));
            ObjectNode signedForFirst = signed("traveller", key, challenge(first, there));

            AlloClient here = second.connect(ClientOptions.defaults("traveller"));
            Challenge own = challenge(second, here);
            assertThat(own.placeKey()).as("two places, two keys").isNotEqualTo(first.place().publicKey());
            assertRefusedAs(second, here, announce(second, here, "traveller", signedForFirst), "does not verify");
        }
    }

    @Test
    void aKeyWithoutSignatureIsRefusedAndAVerifiedFlagAloneIsDropped(TestPlace place) throws Exception {
        AlloClient claimant = place.connect(ClientOptions.defaults("claimant"));
        ObjectNode identity = ClientOptions.defaults("claimant").identity().deepCopy();
        identity.put("public_key", IdentityKey.generate().publicKeyText());
        assertRefusedAs(place, claimant, announce(place, claimant, "claimant", identity), "no signature");

        ObjectNode boasting = ClientOptions.defaults("boaster").identity().deepCopy().put("verified", true);
        AlloClient boaster = place.join("boaster", ClientOptions.defaults("boaster").withIdentity(boasting));
        assertThat(boaster.avatarId()).isNotNull();
        JsonNode agent = agentNamed(place.admin().json("/api/agents"), "boaster");
        assertThat(agent.path("identity").path("verified").asBoolean()).isFalse();
        assertThat(keptIdentity(place, "boaster").has("verified")).as("the client's own claim is not kept").isFalse();
    }

    @Test
    @PlaceConfig(value = "identity.challenge_ttl_ms=1000", manualClock = true)
    void aChallengeServesOneAnnounceAndExpires(TestPlace place, ManualClock clock) throws Exception {
        IdentityKey key = IdentityKey.generate();
        AlloClient client = place.connect(ClientOptions.defaults("once"));
        ObjectNode identity = signed("once", key, challenge(place, client));
        ArrayNode spoiled = place.ask(client, "announce", "version", 4, "identity", identity,
                "spawn_avatar", "not an entity spec");
        assertThat(spoiled.toString()).as("the announce failed after its proof was used")
                .isEqualTo("[\"announce\",\"error\",\"invalid request\"]");
        assertRefusedAs(place, client, announce(place, client, "once", identity), "no identity_challenge");

        AlloClient late = place.connect(ClientOptions.defaults("late"));
        ObjectNode lateIdentity = signed("late", key, challenge(place, late));
        clock.advance(Duration.ofMillis(1500));
        assertRefusedAs(place, late, announce(place, late, "late", lateIdentity), "expired");
    }

    @Test
    @PlaceConfig("identity.max_challenges_per_connection=2")
    void challengesAreBoundedAndTheirNoncesChecked(TestPlace place) throws Exception {
        AlloClient client = place.connect(ClientOptions.defaults("asker"));
        for (String bad : List.of("short", "AAAA", "not base64url!!!!!!!!!!!", "A".repeat(200),
                Base64Url.encode(new byte[16]) + "=")) {
            ArrayNode refused = place.ask(client, "identity_challenge", bad);
            assertThat(refused.get(1).asText() + " " + refused.get(2).asText()).as(bad).isEqualTo("error invalid_nonce");
        }
        ArrayNode noNonce = place.ask(client, "identity_challenge", 42);
        assertThat(noNonce.get(2).asText()).isEqualTo("invalid_nonce");
        Challenge first = challenge(place, client);
        Challenge second = challenge(place, client);
        assertThat(second.serverNonce()).as("every challenge a fresh nonce").isNotEqualTo(first.serverNonce());
        ArrayNode third = place.ask(client, "identity_challenge", Base64Url.encode(new byte[32]));
        assertThat(third.get(2).asText()).isEqualTo("too_many_challenges");
        ArrayNode spawn = place.ask(client, "spawn_entity", ProtocolJson.mapper().createObjectNode());
        assertThat(spawn.toString()).as("nothing else before announce").isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");

        IdentityKey key = IdentityKey.generate();
        assertRefusedAs(place, client, announce(place, client, "asker", signed("asker", key, first)), "does not verify");
    }

    @Test
    void theJavaClientChecksThePlacesProofAndRefusesAnotherPlaceKey(TestPlace place) throws Exception {
        IdentityKey expected = IdentityKey.generate();
        AlloClient client = place.connect(ClientOptions.defaults("careful").withIdentityKey(IdentityKey.generate())
                .withExpectedPlaceKey(expected.publicKeyText()));
        assertThat(refused(place, client)).isInstanceOf(IdentityRefusedException.class).hasMessageContaining("not the expected");
        AlloClient pinned = place.connect(ClientOptions.defaults("pinned").withIdentityKey(IdentityKey.generate())
                .withExpectedPlaceKey(place.place().publicKey()));
        assertThat(announced(place, pinned).placeKey()).isEqualTo(place.place().publicKey());
    }

    @Test
    void aRuleOnAVerifiedKeyLetsItsHolderInAndKeepsOutImpostorsOfTheSameName() throws Exception {
        IdentityKey alice = IdentityKey.generate();
        String allowAlice = "[\"interaction\", \"request\", _, \"place\", _, [\"announce\", \"version\", _, \"identity\", "
                + "%{\"public_key\" => Key} | _]] where Key in [\"" + alice.publicKeyText() + "\"]";
        String denyOthers = "[\"interaction\", \"request\", _, \"place\", _, [\"announce\" | _]]";
        Path file = rules("- allow: " + quoted(allowAlice) + "\n- deny: " + quoted(denyOthers) + "\n");
        try (TestPlace place = TestPlace.builder().set("acl.rules_file", file).start()) {
            AlloClient real = place.connect(ClientOptions.defaults("alice").withIdentityKey(alice));
            assertThat(announced(place, real).avatarId()).isNotNull();

            AlloClient nameOnly = place.connect(ClientOptions.defaults("alice"));
            CompletableFuture<JsonNode> denial = new CompletableFuture<>();
            nameOnly.onOtherCommand(denial::complete);
            assertThat(refused(place, nameOnly)).hasMessageContaining("denied");
            assertThat(await("the name-only alice is told of the denial", denial).get(0).asText())
                    .isEqualTo("interaction_denied");
            assertThat(disconnectedWith(place, nameOnly)).isEqualTo(1005);

            AlloClient otherKey = place.connect(ClientOptions.defaults("alice").withIdentityKey(IdentityKey.generate()));
            assertThat(refused(place, otherKey)).hasMessageContaining("denied");
            assertThat(disconnectedWith(place, otherKey)).isEqualTo(1005);

            AlloClient claimsAlicesKey = place.connect(ClientOptions.defaults("alice"));
            ObjectNode stolen = signed("alice", IdentityKey.generate(), challenge(place, claimsAlicesKey));
            stolen.put("public_key", alice.publicKeyText());
            assertRefusedAs(place, claimsAlicesKey, announce(place, claimsAlicesKey, "alice", stolen), "does not verify");

            // The place lets a refused connection go once it has the acknowledgement of its
            // disconnect, a moment after the client has seen it.
            place.untilOnPlace("the place has let every refused connection go", p -> p.agents().size() == 1);
            JsonNode agents = place.admin().json("/api/agents");
            assertThat(agents).as("only the real alice is here").hasSize(1);
            assertThat(agents.get(0).path("identity").path("public_key").asText()).isEqualTo(alice.publicKeyText());
        }
    }

    @Test
    void ownerKeysManageTheAclAndVerifiedKeyOfGuardsOtherInteractions() throws Exception {
        IdentityKey owner = IdentityKey.generate();
        IdentityKey kicker = IdentityKey.generate();
        String onlyKickerKicks = "[\"interaction\", _, From, \"place\", _, [\"kick_agent\" | _]] where verified_key_of(From) != \""
                + kicker.publicKeyText() + "\"";
        Path file = rules("- deny: " + quoted(onlyKickerKicks) + "\n- deny: " + quoted(
                "[\"interaction\", _, _, \"place\", _, [Cmd | _]] where Cmd in [\"acl_add\", \"acl_remove\"]") + "\n");
        try (TestPlace place = TestPlace.builder().set("acl.rules_file", file)
                .set("acl.owner_keys", owner.publicKeyText()).start()) {
            AlloClient boss = place.connect(ClientOptions.defaults("boss").withIdentityKey(owner));
            announced(place, boss);
            AlloClient impostor = place.join("boss");
            AlloClient stranger = place.connect(ClientOptions.defaults("stranger").withIdentityKey(IdentityKey.generate()));
            announced(place, stranger);

            assertThat(place.ask(impostor, "acl_add", "allow", "_", 0).toString())
                    .isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
            assertThat(place.ask(stranger, "acl_add", "allow", "_", 0).toString())
                    .as("a verified key that is no owner's").isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
            ArrayNode added = place.ask(boss, "acl_add", "deny", "[\"interaction\", _, _, _, _, [\"lol\" | _]]");
            assertThat(added.get(1).asText()).as("the owner passes the rules: " + added).isEqualTo("ok");

            String target = place.onPlace(p -> p.agents().stream()
                    .filter(a -> "stranger".equals(a.displayName())).findFirst().orElseThrow().id());
            assertThat(place.ask(boss, "kick_agent", target).toString())
                    .as("owners are no exception to other rules").isEqualTo("[\"kick_agent\",\"error\",\"denied\"]");
            AlloClient withKickerKey = place.connect(ClientOptions.defaults("kicker").withIdentityKey(kicker));
            announced(place, withKickerKey);
            assertThat(place.ask(withKickerKey, "kick_agent", target).toString()).isEqualTo("[\"kick_agent\",\"ok\"]");
            assertThat(disconnectedWith(place, stranger)).isEqualTo(1005);
        }
    }

    @Test
    void thePlaceKeepsItsKeyAcrossRestartsInAFileOnlyItsOwnerReads() throws Exception {
        Path dataDir = temp.resolve("data");
        String firstKey;
        try (TestPlace place = TestPlace.builder().set("data_dir", dataDir).start()) {
            firstKey = place.admin().json("/api/place").path("public_key").asText();
        }
        Path keyFile = dataDir.resolve("place-key.json");
        assertThat(Files.getPosixFilePermissions(keyFile)).as("mode 0600")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ProtocolJson.mapper().readTree(keyFile.toFile()).path("public_key").asText()).isEqualTo(firstKey);
        try (TestPlace place = TestPlace.builder().set("data_dir", dataDir).start()) {
            assertThat(place.admin().json("/api/place").path("public_key").asText()).as("the same place after a restart")
                    .isEqualTo(firstKey);
            AlloClient client = place.connect(ClientOptions.defaults("returning").withIdentityKey(IdentityKey.generate())
                    .withExpectedPlaceKey(firstKey));
            assertThat(announced(place, client).placeKey()).isEqualTo(firstKey);
        }
        try (TestPlace other = TestPlace.start()) {
            assertThat(other.place().publicKey()).as("another data directory, another place").isNotEqualTo(firstKey);
        }
    }
}
