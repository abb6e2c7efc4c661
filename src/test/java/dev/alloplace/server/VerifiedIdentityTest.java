package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.Announced;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.client.IdentityRefusedException;
import dev.alloplace.identity.Base64Url;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.identity.IdentityProof;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.ManualClock;
import dev.alloplace.testing.TestPlace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified identities over real ENet: an agent proves its public key by signing the place's
 * challenge in its announce, the place reports the key as verified to everyone who asks, and
 * every way of claiming a key without holding it (or of reusing someone's proof) is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VerifiedIdentityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path temp;

    // ------------------------------------------------------------------ helpers

    /** An identity_challenge answer, and the client nonce it answers. */
    private record Challenge(byte[] clientNonce, byte[] serverNonce, String placeKey, byte[] placeSignature,
            String connectionId) {
    }

    private static Challenge challenge(AlloClient client) throws Exception {
        byte[] clientNonce = new byte[32];
        RANDOM.nextBytes(clientNonce);
        ArrayNode answer = client.request("", "place", Interaction.body("identity_challenge", Base64Url.encode(clientNonce)))
                .get(5, TimeUnit.SECONDS);
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
    private static ArrayNode announce(AlloClient client, String name, JsonNode identity) throws Exception {
        return client.request("", "place", Interaction.body("announce", "version", 4, "identity", identity,
                "spawn_avatar", ClientOptions.defaults(name).avatar())).get(5, TimeUnit.SECONDS);
    }

    private static void assertRefusedAs(AlloClient client, ArrayNode answer, String why) throws Exception {
        assertThat(answer.get(0).asText()).isEqualTo("announce");
        assertThat(answer.get(1).asText()).isEqualTo("error");
        assertThat(answer.get(2).asInt()).as(answer.toString()).isEqualTo(1008);
        assertThat(answer.get(3).asText()).contains(why);
        assertThat(client.disconnected().get(5, TimeUnit.SECONDS).data()).as("disconnected with 1008").isEqualTo(1008);
    }

    private JsonNode admin(TestPlace place, String path) throws Exception {
        int port = place.server().adminAddress().orElseThrow().getPort();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return ProtocolJson.mapper().readTree(response.body());
    }

    private static JsonNode agentNamed(JsonNode agents, String name) {
        for (JsonNode agent : agents) {
            if (name.equals(agent.path("display_name").asText())) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + name + " in " + agents);
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
    void anAgentWithAKeyJoinsVerifiedAndEveryoneSeesItsKey() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            IdentityKey key = IdentityKey.generate();
            AlloClient annie = place.connect(ClientOptions.defaults("annie").withIdentityKey(key));
            Announced announced = annie.announce().get(5, TimeUnit.SECONDS);
            AlloClient bob = place.join("bob", ClientOptions.defaults("bob"));

            String placeKey = admin(place, "/api/place").path("public_key").asText();
            assertThat(announced.placeKey()).as("the client checked the place's proof of this key").isEqualTo(placeKey)
                    .isEqualTo(place.server().place().publicKey());
            JsonNode agents = admin(place, "/api/agents");
            assertThat(agentNamed(agents, "annie").path("identity").toString()).isEqualTo(
                    "{\"display_name\":\"annie\",\"public_key\":\"" + key.publicKeyText() + "\",\"verified\":true}");
            assertThat(agentNamed(agents, "bob").path("identity").toString()).as("no key: unverified, as before")
                    .isEqualTo("{\"display_name\":\"bob\",\"public_key\":null,\"verified\":false}");

            ArrayNode listed = bob.request("place", Interaction.body("list_agents")).get(5, TimeUnit.SECONDS);
            assertThat(agentNamed(listed.get(2), "annie").path("identity").path("public_key").asText())
                    .as("another agent sees the verified key").isEqualTo(key.publicKeyText());
            assertThat(agentNamed(listed.get(2), "annie").path("identity").path("verified").asBoolean()).isTrue();
            assertThat(agentNamed(listed.get(2), "bob").path("identity").path("verified").asBoolean()).isFalse();
            JsonNode kept = place.server().place().call(p -> p.agents().stream()
                    .filter(a -> "annie".equals(a.displayName())).findFirst().orElseThrow().identity()).get(5, TimeUnit.SECONDS);
            assertThat(kept.toString()).as("the identity the place keeps: the key, verified, no signature").isEqualTo(
                    "{\"display_name\":\"annie\",\"public_key\":\"" + key.publicKeyText() + "\",\"verified\":true}");
        }
    }

    @Test
    void aSecondAnnounceNeitherDropsNorReplacesTheVerifiedKey() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            IdentityKey key = IdentityKey.generate();
            AlloClient client = place.connect(ClientOptions.defaults("steady").withIdentityKey(key));
            client.announce().get(5, TimeUnit.SECONDS);

            ArrayNode again = announce(client, "steady", ClientOptions.defaults("steady").identity());
            assertThat(again.toString()).isEqualTo("[\"announce\",\"error\",\"already announced\"]");
            ObjectNode otherKey = ClientOptions.defaults("steady").identity().deepCopy();
            otherKey.put("public_key", IdentityKey.generate().publicKeyText()).put("signature", Base64Url.encode(new byte[64]));
            assertThat(announce(client, "steady", otherKey).toString()).isEqualTo("[\"announce\",\"error\",\"already announced\"]");
            assertThat(agentNamed(admin(place, "/api/agents"), "steady").path("identity").path("public_key").asText())
                    .isEqualTo(key.publicKeyText());
        }
    }

    @Test
    void theJavaClientSignsWithAKeyFileOrAJdkKeyPair() throws Exception {
        Path file = temp.resolve("annie-key.json");
        IdentityKey written = IdentityKey.generate();
        dev.alloplace.identity.KeyFile.create(file, written);
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        try (TestPlace place = TestPlace.start()) {
            place.connect(ClientOptions.defaults("from-file").withKeyFile(file)).announce().get(5, TimeUnit.SECONDS);
            place.connect(ClientOptions.defaults("from-jdk").withKeyPair(pair)).announce().get(5, TimeUnit.SECONDS);
            JsonNode agents = admin(place, "/api/agents");
            assertThat(agentNamed(agents, "from-file").path("identity").path("public_key").asText())
                    .isEqualTo(written.publicKeyText());
            assertThat(agentNamed(agents, "from-jdk").path("identity").path("public_key").asText())
                    .isEqualTo(Base64Url.encode(dev.alloplace.identity.Ed25519.raw(pair.getPublic())));
        }
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedAndTheConnectionClosed() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient mallory = place.connect(ClientOptions.defaults("mallory"));
            IdentityKey victim = IdentityKey.generate();
            ObjectNode identity = signed("mallory", IdentityKey.generate(), challenge(mallory));
            identity.put("public_key", victim.publicKeyText());

            assertRefusedAs(mallory, announce(mallory, "mallory", identity), "does not verify");
            assertThat(place.server().place().call(p -> p.world().entityCount()).get(5, TimeUnit.SECONDS))
                    .as("no avatar").isEqualTo(1);
        }
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient client = place.connect(ClientOptions.defaults("tamper"));
            ObjectNode identity = signed("tamper", IdentityKey.generate(), challenge(client));
            byte[] signature = Base64Url.decode(identity.get("signature").asText(), 64, 64);
            signature[10] ^= 1;
            identity.put("signature", Base64Url.encode(signature));

            assertRefusedAs(client, announce(client, "tamper", identity), "does not verify");
        }
    }

    @Test
    void theIdentityPointWithItsTrivialSignatureIsRefused() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient client = place.connect(ClientOptions.defaults("nobody"));
            challenge(client);
            byte[] identityPoint = new byte[32];
            identityPoint[0] = 1;
            byte[] trivial = new byte[64];
            trivial[0] = 1;
            ObjectNode identity = ClientOptions.defaults("nobody").identity().deepCopy();
            identity.put("public_key", Base64Url.encode(identityPoint)).put("signature", Base64Url.encode(trivial));

            assertRefusedAs(client, announce(client, "nobody", identity), "no one's key");
        }
    }

    @Test
    void anAnnounceCapturedOnOneConnectionIsRefusedOnAnother() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            IdentityKey key = IdentityKey.generate();
            AlloClient victim = place.connect(ClientOptions.defaults("victim"));
            ObjectNode captured = signed("victim", key, challenge(victim));

            AlloClient replayer = place.connect(ClientOptions.defaults("victim"));
            challenge(replayer); // the replayer has a challenge of its own, but the captured proof names another
            assertRefusedAs(replayer, announce(replayer, "victim", captured), "does not verify");

            AlloClient lazy = place.connect(ClientOptions.defaults("victim"));
            assertRefusedAs(lazy, announce(lazy, "victim", captured), "no identity_challenge");

            ArrayNode own = announce(victim, "victim", captured);
            assertThat(own.get(0).asText()).isEqualTo("announce");
            assertThat(own.get(1).asText()).as("on its own connection the proof holds: " + own).matches("[a-y]{10}");
        }
    }

    @Test
    void anAnnounceSignedForOnePlaceIsRefusedByAnother() throws Exception {
        try (TestPlace first = TestPlace.start(); TestPlace second = TestPlace.start()) {
            IdentityKey key = IdentityKey.generate();
            AlloClient there = first.connect(ClientOptions.defaults("traveller"));
            ObjectNode signedForFirst = signed("traveller", key, challenge(there));

            AlloClient here = second.connect(ClientOptions.defaults("traveller"));
            Challenge own = challenge(here);
            assertThat(own.placeKey()).as("two places, two keys").isNotEqualTo(first.server().place().publicKey());
            assertRefusedAs(here, announce(here, "traveller", signedForFirst), "does not verify");
        }
    }

    @Test
    void aKeyWithoutSignatureIsRefusedAndAVerifiedFlagAloneIsDropped() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient claimant = place.connect(ClientOptions.defaults("claimant"));
            ObjectNode identity = ClientOptions.defaults("claimant").identity().deepCopy();
            identity.put("public_key", IdentityKey.generate().publicKeyText());
            assertRefusedAs(claimant, announce(claimant, "claimant", identity), "no signature");

            ObjectNode boasting = ClientOptions.defaults("boaster").identity().deepCopy().put("verified", true);
            AlloClient boaster = place.join("boaster", ClientOptions.defaults("boaster").withIdentity(boasting));
            assertThat(boaster.avatarId()).isNotNull();
            JsonNode agent = agentNamed(admin(place, "/api/agents"), "boaster");
            assertThat(agent.path("identity").path("verified").asBoolean()).isFalse();
            JsonNode kept = place.server().place().call(p -> p.agents().stream()
                    .filter(a -> "boaster".equals(a.displayName())).findFirst().orElseThrow().identity()).get(5, TimeUnit.SECONDS);
            assertThat(kept.has("verified")).as("the client's own claim is not kept").isFalse();
        }
    }

    @Test
    void aChallengeServesOneAnnounceAndExpires() throws Exception {
        ManualClock clock = new ManualClock();
        try (TestPlace place = TestPlace.start(Map.of("identity.challenge_ttl_ms", "1000"), clock)) {
            IdentityKey key = IdentityKey.generate();
            AlloClient client = place.connect(ClientOptions.defaults("once"));
            ObjectNode identity = signed("once", key, challenge(client));
            ArrayNode spoiled = client.request("", "place", Interaction.body("announce", "version", 4, "identity", identity,
                    "spawn_avatar", "not an entity spec")).get(5, TimeUnit.SECONDS);
            assertThat(spoiled.toString()).as("the announce failed after its proof was used")
                    .isEqualTo("[\"announce\",\"error\",\"invalid request\"]");
            assertRefusedAs(client, announce(client, "once", identity), "no identity_challenge");

            AlloClient late = place.connect(ClientOptions.defaults("late"));
            ObjectNode lateIdentity = signed("late", key, challenge(late));
            clock.advance(Duration.ofMillis(1500));
            assertRefusedAs(late, announce(late, "late", lateIdentity), "expired");
        }
    }

    @Test
    void challengesAreBoundedAndTheirNoncesChecked() throws Exception {
        try (TestPlace place = TestPlace.start(Map.of("identity.max_challenges_per_connection", "2"), List.of())) {
            AlloClient client = place.connect(ClientOptions.defaults("asker"));
            for (String bad : List.of("short", "AAAA", "not base64url!!!!!!!!!!!", "A".repeat(200),
                    Base64Url.encode(new byte[16]) + "=")) {
                ArrayNode refused = client.request("", "place", Interaction.body("identity_challenge", bad)).get(5, TimeUnit.SECONDS);
                assertThat(refused.get(1).asText() + " " + refused.get(2).asText()).as(bad).isEqualTo("error invalid_nonce");
            }
            ArrayNode noNonce = client.request("", "place", Interaction.body("identity_challenge", 42)).get(5, TimeUnit.SECONDS);
            assertThat(noNonce.get(2).asText()).isEqualTo("invalid_nonce");
            Challenge first = challenge(client);
            Challenge second = challenge(client);
            assertThat(second.serverNonce()).as("every challenge a fresh nonce").isNotEqualTo(first.serverNonce());
            ArrayNode third = client.request("", "place", Interaction.body("identity_challenge",
                    Base64Url.encode(new byte[32]))).get(5, TimeUnit.SECONDS);
            assertThat(third.get(2).asText()).isEqualTo("too_many_challenges");
            ArrayNode spawn = client.request("", "place", Interaction.body("spawn_entity", ProtocolJson.mapper().createObjectNode()))
                    .get(5, TimeUnit.SECONDS);
            assertThat(spawn.toString()).as("nothing else before announce").isEqualTo("[\"error\",\"forbidden_request\",\"spawn_entity\"]");

            IdentityKey key = IdentityKey.generate();
            assertRefusedAs(client, announce(client, "asker", signed("asker", key, first)), "does not verify");
        }
    }

    @Test
    void theJavaClientChecksThePlacesProofAndRefusesAnotherPlaceKey() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            IdentityKey expected = IdentityKey.generate();
            AlloClient client = place.connect(ClientOptions.defaults("careful").withIdentityKey(IdentityKey.generate())
                    .withExpectedPlaceKey(expected.publicKeyText()));
            assertThatThrownBy(() -> client.announce().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IdentityRefusedException.class).hasMessageContaining("not the expected");
            AlloClient pinned = place.connect(ClientOptions.defaults("pinned").withIdentityKey(IdentityKey.generate())
                    .withExpectedPlaceKey(place.server().place().publicKey()));
            assertThat(pinned.announce().get(5, TimeUnit.SECONDS).placeKey()).isEqualTo(place.server().place().publicKey());
        }
    }

    @Test
    void aRuleOnAVerifiedKeyLetsItsHolderInAndKeepsOutImpostorsOfTheSameName() throws Exception {
        IdentityKey alice = IdentityKey.generate();
        String allowAlice = "[\"interaction\", \"request\", _, \"place\", _, [\"announce\", \"version\", _, \"identity\", "
                + "%{\"public_key\" => Key} | _]] where Key in [\"" + alice.publicKeyText() + "\"]";
        String denyOthers = "[\"interaction\", \"request\", _, \"place\", _, [\"announce\" | _]]";
        Path file = rules("- allow: " + quoted(allowAlice) + "\n- deny: " + quoted(denyOthers) + "\n");
        try (TestPlace place = TestPlace.start(Map.of("acl.rules_file", file.toString()), List.of())) {
            AlloClient real = place.connect(ClientOptions.defaults("alice").withIdentityKey(alice));
            assertThat(real.announce().get(5, TimeUnit.SECONDS).avatarId()).isNotNull();

            AlloClient nameOnly = place.connect(ClientOptions.defaults("alice"));
            CompletableFuture<JsonNode> denial = new CompletableFuture<>();
            nameOnly.onOtherCommand(denial::complete);
            assertThatThrownBy(() -> nameOnly.announce().get(5, TimeUnit.SECONDS)).hasMessageContaining("denied");
            assertThat(denial.get(5, TimeUnit.SECONDS).get(0).asText()).isEqualTo("interaction_denied");
            assertThat(nameOnly.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);

            AlloClient otherKey = place.connect(ClientOptions.defaults("alice").withIdentityKey(IdentityKey.generate()));
            assertThatThrownBy(() -> otherKey.announce().get(5, TimeUnit.SECONDS)).hasMessageContaining("denied");
            assertThat(otherKey.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);

            AlloClient claimsAlicesKey = place.connect(ClientOptions.defaults("alice"));
            ObjectNode stolen = signed("alice", IdentityKey.generate(), challenge(claimsAlicesKey));
            stolen.put("public_key", alice.publicKeyText());
            assertRefusedAs(claimsAlicesKey, announce(claimsAlicesKey, "alice", stolen), "does not verify");

            JsonNode agents = admin(place, "/api/agents");
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
        try (TestPlace place = TestPlace.start(Map.of("acl.rules_file", file.toString(), "acl.owner_keys",
                owner.publicKeyText()), List.of())) {
            AlloClient boss = place.connect(ClientOptions.defaults("boss").withIdentityKey(owner));
            boss.announce().get(5, TimeUnit.SECONDS);
            AlloClient impostor = place.join("boss", ClientOptions.defaults("boss"));
            AlloClient stranger = place.connect(ClientOptions.defaults("stranger").withIdentityKey(IdentityKey.generate()));
            stranger.announce().get(5, TimeUnit.SECONDS);

            assertThat(impostor.request("place", Interaction.body("acl_add", "allow", "_", 0)).get(5, TimeUnit.SECONDS).toString())
                    .isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
            assertThat(stranger.request("place", Interaction.body("acl_add", "allow", "_", 0)).get(5, TimeUnit.SECONDS).toString())
                    .as("a verified key that is no owner's").isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
            ArrayNode added = boss.request("place", Interaction.body("acl_add", "deny",
                    "[\"interaction\", _, _, _, _, [\"lol\" | _]]")).get(5, TimeUnit.SECONDS);
            assertThat(added.get(1).asText()).as("the owner passes the rules: " + added).isEqualTo("ok");

            String target = place.server().place().call(p -> p.agents().stream()
                    .filter(a -> "stranger".equals(a.displayName())).findFirst().orElseThrow().id()).get(5, TimeUnit.SECONDS);
            assertThat(boss.request("place", Interaction.body("kick_agent", target)).get(5, TimeUnit.SECONDS).toString())
                    .as("owners are no exception to other rules").isEqualTo("[\"kick_agent\",\"error\",\"denied\"]");
            AlloClient withKickerKey = place.connect(ClientOptions.defaults("kicker").withIdentityKey(kicker));
            withKickerKey.announce().get(5, TimeUnit.SECONDS);
            assertThat(withKickerKey.request("place", Interaction.body("kick_agent", target)).get(5, TimeUnit.SECONDS).toString())
                    .isEqualTo("[\"kick_agent\",\"ok\"]");
            assertThat(stranger.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);
        }
    }

    @Test
    void thePlaceKeepsItsKeyAcrossRestartsInAFileOnlyItsOwnerReads() throws Exception {
        Path dataDir = temp.resolve("data");
        String firstKey;
        try (TestPlace place = TestPlace.start(Map.of("data_dir", dataDir.toString()), List.of())) {
            firstKey = admin(place, "/api/place").path("public_key").asText();
        }
        Path keyFile = dataDir.resolve("place-key.json");
        assertThat(Files.getPosixFilePermissions(keyFile)).as("mode 0600")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(ProtocolJson.mapper().readTree(keyFile.toFile()).path("public_key").asText()).isEqualTo(firstKey);
        try (TestPlace place = TestPlace.start(Map.of("data_dir", dataDir.toString()), List.of())) {
            assertThat(admin(place, "/api/place").path("public_key").asText()).as("the same place after a restart")
                    .isEqualTo(firstKey);
            AlloClient client = place.connect(ClientOptions.defaults("returning").withIdentityKey(IdentityKey.generate())
                    .withExpectedPlaceKey(firstKey));
            assertThat(client.announce().get(5, TimeUnit.SECONDS).placeKey()).isEqualTo(firstKey);
        }
        try (TestPlace other = TestPlace.start()) {
            assertThat(other.server().place().publicKey()).as("another data directory, another place").isNotEqualTo(firstKey);
        }
    }
}
