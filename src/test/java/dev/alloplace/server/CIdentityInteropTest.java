package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.place.Agent;
import dev.alloplace.testing.NativePeers;
import dev.alloplace.testing.TestPlace;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A C agent on libenet and libsodium (src/test/c/identity_peer.c) checks the place's proof with
 * {@code crypto_sign_verify_detached} and proves its own key with {@code crypto_sign_detached}:
 * the identity proof is standard Ed25519 over the documented bytes, not a Java artefact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CIdentityInteropTest {

    private static Path peer;

    @BeforeAll
    static void build() {
        peer = NativePeers.build("identity_peer", "sodium");
    }

    @Test
    void aLibsodiumSignatureJoinsVerified() throws Exception {
        try (TestPlace place = TestPlace.start();
                NativePeers.Running c = NativePeers.start(peer, "127.0.0.1", "" + place.address().getPort(), "ok")) {
            c.awaitLine("connected", 5_000);
            String key = c.awaitLine("key ", 5_000).substring(4);
            assertThat(c.awaitLine("place key=", 5_000)).as("libsodium verified the place's signature")
                    .startsWith("place key=" + place.server().place().publicKey() + " verified=1 connection=");
            assertThat(c.awaitLine("announced", 5_000)).matches("announced avatar=[a-y]{10}");
            assertThat(c.awaitLine("listed", 5_000)).as("list_agents shows it verified").isEqualTo("listed verified=1");
            List<String> verified = place.server().place().call(p -> p.agents().stream().map(Agent::verifiedKey).toList())
                    .get(5, TimeUnit.SECONDS);
            assertThat(verified).as("the place holds the C agent's key as verified").containsExactly(key);
            JsonNode identity = place.server().place().call(p -> p.agents().iterator().next().identity())
                    .get(5, TimeUnit.SECONDS);
            assertThat(identity.path("verified").asBoolean()).isTrue();
            assertThat(identity.has("signature")).isFalse();
            place.server().place().call(p -> {
                p.kick(p.agents().iterator().next(), 1005);
                return null;
            }).get(5, TimeUnit.SECONDS);
            assertThat(c.awaitLine("disconnected", 5_000)).isEqualTo("disconnected data=1005");
            assertThat(c.awaitExit(5_000)).isZero();
        }
    }

    @Test
    void aTamperedLibsodiumSignatureIsRefused() throws Exception {
        try (TestPlace place = TestPlace.start();
                NativePeers.Running c = NativePeers.start(peer, "127.0.0.1", "" + place.address().getPort(), "tamper")) {
            c.awaitLine("place key=", 5_000);
            assertThat(c.awaitLine("refused", 5_000)).isEqualTo("refused code=1008");
            assertThat(c.awaitLine("disconnected", 5_000)).isEqualTo("disconnected data=1008");
            assertThat(c.awaitExit(5_000)).isZero();
            assertThat(place.server().place().call(p -> p.world().entityCount()).get(5, TimeUnit.SECONDS))
                    .as("no avatar was spawned").isEqualTo(1);
        }
    }
}
