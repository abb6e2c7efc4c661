package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.assets.AssetId;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.testing.AssetPeer;
import dev.alloplace.testing.TestPlace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Assets through the place: fetched from the publisher, verified, stored, served after restarts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlaceAssetsTest {

    @Test
    void aTenMebibyteAssetTravelsIsVerifiedStoredAndSurvivesTheRestart() throws Exception {
        byte[] content = new byte[10 * 1024 * 1024];
        new Random(11).nextBytes(content);
        AssetId id = AssetId.of(content);
        Path data = Files.createTempDirectory("alloplace-assets");
        try (TestPlace place = TestPlace.start(Map.of("data_dir", data.toString()), List.of())) {
            AlloClient publisher = place.join("a", ClientOptions.defaults("a"));
            AssetPeer.publish(publisher, id, content);
            AlloClient b = place.join("b", ClientOptions.defaults("b").withLayout(ChannelLayout.V3));

            assertThat(AssetPeer.download(b, id, publisher.avatarId()).get(60, TimeUnit.SECONDS)).isEqualTo(content);

            publisher.disconnect().get(5, TimeUnit.SECONDS);
            AlloClient c = place.join("c", ClientOptions.defaults("c"));
            assertThat(AssetPeer.download(c, id, null).get(30, TimeUnit.SECONDS)).as("served from the store").isEqualTo(content);
        }
        try (TestPlace restarted = TestPlace.start(Map.of("data_dir", data.toString()), List.of())) {
            AlloClient d = restarted.join("d", ClientOptions.defaults("d"));
            assertThat(AssetPeer.download(d, id, null).get(30, TimeUnit.SECONDS)).as("kept across a restart").isEqualTo(content);
        }
    }

    @Test
    void aCorruptedUploadIsRefusedAndNobodyGetsIt() throws Exception {
        byte[] content = new byte[300_000];
        new Random(12).nextBytes(content);
        AssetId id = AssetId.of(content);
        byte[] corrupted = content.clone();
        corrupted[1234] ^= 1;
        try (TestPlace place = TestPlace.start()) {
            AlloClient liar = place.join("liar", ClientOptions.defaults("liar"));
            AssetPeer.publish(liar, id, corrupted);
            AlloClient victim = place.join("victim", ClientOptions.defaults("victim"));

            assertThatThrownBy(() -> AssetPeer.download(victim, id, liar.avatarId()).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("Server could not find asset");
            AlloClient later = place.join("later", ClientOptions.defaults("later"));
            assertThatThrownBy(() -> AssetPeer.download(later, id, null).get(30, TimeUnit.SECONDS))
                    .as("nothing was stored").hasMessageContaining("Server could not find asset");
        }
    }

    @Test
    void aMalformedRequestGetsTheProtocolsFailure() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient asker = place.join("asker", ClientOptions.defaults("asker"));
            var reply = new java.util.concurrent.CompletableFuture<byte[]>();
            asker.onAsset(reply::complete);
            asker.sendAsset(new byte[] {0, 1, 0, 2, '{', '}'});
            byte[] frame = reply.get(5, TimeUnit.SECONDS);
            String text = new String(frame, 4, frame.length - 4, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(frame[1]).as("mid 3").isEqualTo((byte) 3);
            assertThat(text).contains("The 'id' field must be a string").contains("\"error_code\":2");
        }
    }
}
