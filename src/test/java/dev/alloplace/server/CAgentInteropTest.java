package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.NativePeers;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A C agent built on libenet alone (src/test/c/alloclient.c), speaking the wire format of
 * PROTOCOL.md byte for byte, joins our place, is seen, spawns, and leaves — in both protocol
 * versions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class CAgentInteropTest {

    private static Path agent;

    @BeforeAll
    static void build() {
        agent = NativePeers.build("alloclient");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void cAgentAnnouncesSeesItselfSpawnsAndLeaves(int protocol, TestPlace place) throws Exception {
        try (NativePeers.Running c = NativePeers.start(agent, "127.0.0.1", "" + place.address().getPort(), "" + protocol)) {
            assertThat(c.awaitLine("connected", 5_000)).isEqualTo("connected channels=" + (protocol == 3 ? 5 : 6));
            assertThat(c.awaitLine("announced", 5_000)).matches("announced avatar=[a-y]{10} place=Test place");
            assertThat(c.awaitLine("state revision", 5_000)).endsWith("set=1");
            assertThat(c.awaitLine("spawned", 5_000)).matches("spawned entity=[a-y]{10}");
            c.awaitLine("state has spawned entity", 5_000);
            c.awaitLine("disconnected", 5_000);
            assertThat(c.awaitExit(5_000)).isZero();
            // The place's ENet acknowledges the disconnect before it tells the place loop, so the
            // agent may still be there for a moment after the C side has seen it go.
            place.untilOnPlace("the C agent's avatar and entity are gone: only the place entity is left",
                    p -> p.world().entityCount() == 1);
        }
    }
}
