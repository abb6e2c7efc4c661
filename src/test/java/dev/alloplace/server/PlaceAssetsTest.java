package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static dev.alloplace.testing.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.assets.AssetId;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.testing.AssetPeer;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Assets through the place: fetched from the publisher, verified, stored, served after restarts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceAssetsTest {

    /** Ten mebibytes through ENet on a shared machine. */
    private static final Duration TRANSFER = Duration.ofSeconds(60);

    @Test
    void aTenMebibyteAssetTravelsIsVerifiedStoredAndSurvivesTheRestart(@TempDir Path data) throws Exception {
        byte[] content = new byte[10 * 1024 * 1024];
        new Random(11).nextBytes(content);
        AssetId id = AssetId.of(content);
        try (TestPlace place = TestPlace.builder().set("data_dir", data).start()) {
            AlloClient publisher = place.join("a");
            AssetPeer.publish(publisher, id, content);
            AlloClient b = place.join("b", ClientOptions.defaults("b").withLayout(ChannelLayout.V3));

            assertThat(await("b has downloaded the asset from a", TRANSFER, AssetPeer.download(b, id, publisher.avatarId())))
                    .isEqualTo(content);

            place.leave(publisher);
            AlloClient c = place.join("c");
            assertThat(await("c has downloaded the asset", TRANSFER, AssetPeer.download(c, id, null)))
                    .as("served from the store").isEqualTo(content);
        }
        try (TestPlace restarted = TestPlace.builder().set("data_dir", data).start()) {
            AlloClient d = restarted.join("d");
            assertThat(await("d has downloaded the asset", TRANSFER, AssetPeer.download(d, id, null)))
                    .as("kept across a restart").isEqualTo(content);
        }
    }

    @Test
    void aCorruptedUploadIsRefusedAndNobodyGetsIt(TestPlace place) throws Exception {
        byte[] content = new byte[300_000];
        new Random(12).nextBytes(content);
        AssetId id = AssetId.of(content);
        byte[] corrupted = content.clone();
        corrupted[1234] ^= 1;
        AlloClient liar = place.join("liar");
        AssetPeer.publish(liar, id, corrupted);
        AlloClient victim = place.join("victim");

        assertThat(failure("the victim's download fails", AssetPeer.download(victim, id, liar.avatarId())))
                .hasMessageContaining("Server could not find asset");
        AlloClient later = place.join("later");
        assertThat(failure("the later download fails", AssetPeer.download(later, id, null)))
                .as("nothing was stored").hasMessageContaining("Server could not find asset");
    }

    @Test
    void aMalformedRequestGetsTheProtocolsFailure(TestPlace place) throws Exception {
        AlloClient asker = place.join("asker");
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        asker.onAsset(reply::complete);
        asker.sendAsset(new byte[] {0, 1, 0, 2, '{', '}'});
        byte[] frame = await("the place answers the malformed asset request", reply);
        String text = new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8);
        assertThat(frame[1]).as("mid 3").isEqualTo((byte) 3);
        assertThat(text).contains("The 'id' field must be a string").contains("\"error_code\":2");
    }
}
