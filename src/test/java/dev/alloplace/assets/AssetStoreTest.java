package dev.alloplace.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetStoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private AssetStore store(long cap) {
        return new AssetStore(dir, AssetSettings.from(TestConfig.of("assets.max_store_bytes", cap)));
    }

    @Test
    void contentThatDoesNotHashToItsIdIsRefused() {
        AssetStore store = store(1 << 20);
        byte[] content = bytes(1000, 1);
        AssetId id = AssetId.of(content);
        content[0] ^= 1;

        assertThat(store.put(id, content)).isFalse();
        assertThat(store.contains(id)).isFalse();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void rangesAreClippedToTheEnd() {
        AssetStore store = store(1 << 20);
        byte[] content = bytes(1000, 2);
        AssetId id = AssetId.of(content);
        assertThat(store.put(id, content)).isTrue();

        assertThat(store.read(id, 990, 100)).hasValueSatisfying(b -> assertThat(b).hasSize(10));
        assertThat(store.read(id, 1001, 1)).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedAssetIsEvictedFirst() {
        AssetStore store = store(2_500_000L);
        byte[] a = bytes(1_000_000, 3);
        byte[] b = bytes(1_000_000, 4);
        byte[] c = bytes(1_000_000, 5);
        store.put(AssetId.of(a), a);
        store.put(AssetId.of(b), b);
        store.read(AssetId.of(a), 0, 1);

        store.put(AssetId.of(c), c);

        assertThat(store.contains(AssetId.of(a))).isTrue();
        assertThat(store.contains(AssetId.of(b))).as("least recently used").isFalse();
        assertThat(store.contains(AssetId.of(c))).isTrue();
        assertThat(store.totalBytes()).isEqualTo(2_000_000L);
    }

    @Test
    void aRestartFindsStoredAssetsAndDiscardsHalfWrittenOnes() throws Exception {
        byte[] content = bytes(5000, 6);
        AssetId id = AssetId.of(content);
        store(1 << 20).put(id, content);
        Files.write(dir.resolve("0".repeat(64) + ".tmp"), new byte[] {1, 2, 3});

        AssetStore reopened = store(1 << 20);

        assertThat(reopened.read(id, 0, 5000)).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(Files.exists(dir.resolve("0".repeat(64) + ".tmp"))).isFalse();
    }

    @Test
    void anUploadStreamsChunkByChunkAndIsStoredOnlyIfItHashesToItsId() throws Exception {
        AssetStore store = store(1 << 22);
        byte[] content = bytes(300_000, 7);
        AssetId id = AssetId.of(content);
        AssetStore.Upload upload = store.begin(id);
        for (int offset = 0; offset < content.length; offset += 65_536) {
            upload.append(java.util.Arrays.copyOfRange(content, offset, Math.min(content.length, offset + 65_536)));
        }
        assertThat(upload.written()).isEqualTo(content.length);
        assertThat(store.contains(id)).as("not visible before it is finished").isFalse();

        assertThat(store.finish(upload)).isTrue();

        assertThat(store.read(id, 0, content.length)).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(dir.toFile().list()).containsExactly(id.hex());
    }

    @Test
    void aLyingOrAbandonedUploadLeavesNothingBehind() throws Exception {
        AssetStore store = store(1 << 22);
        byte[] content = bytes(10_000, 8);
        AssetId id = AssetId.of(content);
        AssetStore.Upload lie = store.begin(id);
        lie.append(bytes(10_000, 9));
        assertThat(store.finish(lie)).isFalse();
        AssetStore.Upload abandoned = store.begin(id);
        abandoned.append(content);
        abandoned.abort();

        assertThat(store.contains(id)).isFalse();
        assertThat(dir.toFile().list()).isEmpty();
    }
}
