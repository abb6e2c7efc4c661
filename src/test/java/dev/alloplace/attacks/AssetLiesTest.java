package dev.alloplace.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.assets.AssetId;
import dev.alloplace.assets.AssetMessage;
import dev.alloplace.client.AlloClient;
import dev.alloplace.testing.AssetPeer;
import dev.alloplace.testing.HeapGauge;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack #2 of the hardening issue: asset answers that lie about their size. Before, the place
 * allocated {@code total_length} on the first chunk: 4 lies of ~270 bytes claiming 256 MiB took
 * 1.24 GB. Now an upload streams to a temporary file as it arrives, within caps on what arrived.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AssetLiesTest {

    private static final int MIB = 1024 * 1024;
    /** What the heap may keep once the liars are gone: the test JVM's own noise. */
    private static final long BACK = 4L * MIB;
    @TempDir
    Path data;
    private TestPlace place;

    @AfterEach
    void stop() {
        if (place != null) {
            place.close();
        }
    }

    @Test
    void answersClaimingAQuarterGibibyteCostOnlyTheirSixteenBytesAndRealTransfersGoOn() throws Exception {
        place = TestPlace.start(Map.of("data_dir", data.toString()), List.of());
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        AlloClient requester = crowd.newcomer();
        AtomicInteger lies = new AtomicInteger();
        List<AlloClient> liars = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AlloClient liar = crowd.newcomer();
            liars.add(liar);
            liar.onAsset(frame -> {
                if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok
                        && ok.message() instanceof AssetMessage.Request request && request.offset() == 0) {
                    lies.incrementAndGet();
                    liar.sendAsset(new AssetMessage.Data(request.id(), 0, 256L * MIB, new byte[16]).encode());
                }
            });
        }
        long baseline = HeapGauge.usedAfterGc();

        for (int i = 0; i < 4; i++) {
            byte[] never = new byte[64];
            new Random(i).nextBytes(never);
            AssetPeer.download(requester, AssetId.of(never), null);
        }
        Waits.until("the place has asked each liar for its asset", () -> lies.get() >= 4);
        double diffRate = crowd.slowestDiffRate(2_000);
        long during = HeapGauge.usedAfterGc();

        HonestCrowd.report("asset lies: heap +%s, %d bytes on disk, slowest honest %.1f diffs/s",
                HeapGauge.mib(during - baseline), temporaryBytes(), diffRate);
        assertThat(lies.get()).as("lies the place took as the start of an upload").isGreaterThanOrEqualTo(4);
        assertThat(during - baseline).as("heap growth for 4 answers claiming 256 MiB (%s)", HeapGauge.mib(during - baseline))
                .isLessThan(16L * MIB);
        assertThat(temporaryBytes()).as("bytes the lies hold on disk").isLessThanOrEqualTo(4 * 16);
        assertThat(diffRate).as("diffs per second of the slowest honest client").isGreaterThanOrEqualTo(5);

        assertThat(anHonestTransferArrivesWhole(crowd)).as("an honest 3 MiB transfer during the lies").isTrue();
        assertThat(crowd.allConnected()).isTrue();

        for (AlloClient liar : liars) {
            Waits.await("a liar leaves", liar.disconnect());
        }
        Waits.until("the liars' unfinished uploads are deleted as the place sees them leave", Waits.PATIENCE,
                Duration.ofMillis(20), () -> temporaryBytes() == 0);
        long after = HeapGauge.untilBackTo("the liars leave", baseline, BACK);
        HonestCrowd.report("asset lies: heap %s after the attack over its baseline", HeapGauge.mib(after - baseline));
    }

    @Test
    void uploadsPastTheAssemblyCapsAreRefusedAsTheirBytesArriveAndLeaveNothingBehind() throws Exception {
        place = TestPlace.start(Map.of("data_dir", data.toString(), "assets.max_assembly_bytes", "" + 4 * MIB,
                "assets.max_assembly_bytes_per_agent", "" + 2 * MIB), List.of());
        HonestCrowd crowd = HonestCrowd.join(place, 2);
        List<AlloClient> flooders = new ArrayList<>();
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] claimed = new byte[2 * MIB];
            new Random(20 + i).nextBytes(claimed);
            AlloClient flooder = crowd.newcomer();
            byte[] served = claimed.clone();
            served[served.length - 1] ^= 1;
            AssetPeer.publish(flooder, AssetId.of(claimed), served);
            flooders.add(flooder);
            garbage.add(claimed);
        }

        List<CompletableFuture<byte[]>> downloads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            downloads.add(AssetPeer.download(crowd.newcomer(), AssetId.of(garbage.get(i)), flooders.get(i).avatarId()));
        }
        for (CompletableFuture<byte[]> download : downloads) {
            assertThat(download).failsWithin(30, TimeUnit.SECONDS);
        }

        assertThat(temporaryBytes()).as("nothing of the refused uploads stays on disk").isZero();
        assertThat(crowd.allConnected()).isTrue();
    }

    /**
     * Asking is cheap and the place fans every ask for an unknown asset out to every agent: one
     * agent asking for 300 assets nobody has must not fill the table of assets the place is
     * fetching (256 place-wide) and so shut everyone else out of the exchange for 30 s.
     */
    @Test
    void anAgentAskingForHundredsOfAssetsNobodyHasHoldsOnlyItsOwnShareOfTheExchange() throws Exception {
        place = TestPlace.start(Map.of("data_dir", data.toString()), List.of());
        HonestCrowd crowd = HonestCrowd.join(place, 2);
        AlloClient hoarder = crowd.newcomer();
        AtomicInteger refused = new AtomicInteger();
        hoarder.onAsset(frame -> {
            if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok && ok.message() instanceof AssetMessage.Failure) {
                refused.incrementAndGet();
            }
        });
        Random random = new Random(31);
        for (int i = 0; i < 300; i++) {
            byte[] never = new byte[64];
            random.nextBytes(never);
            hoarder.sendAsset(new AssetMessage.Request(AssetId.of(never), 0, AssetPeer.CHUNK, java.util.Optional.empty()).encode());
        }
        Waits.until("the place refuses the asks past the hoarder's share (assets.max_wanted_per_agent, 32) at once",
                () -> refused.get() >= 300 - 32);

        byte[] honestAsset = new byte[64 * 1024];
        random.nextBytes(honestAsset);
        AlloClient publisher = crowd.newcomer();
        AssetPeer.publish(publisher, AssetId.of(honestAsset), honestAsset);
        byte[] fetched = Waits.await("an honest download while the hoarder's asks wait", Duration.ofSeconds(20),
                AssetPeer.download(crowd.newcomer(), AssetId.of(honestAsset), publisher.avatarId()));

        assertThat(fetched).as("an honest download goes through").isEqualTo(honestAsset);
        assertThat(refused.get()).as("asks refused at once, beyond the hoarder's share").isGreaterThanOrEqualTo(300 - 32);
        assertThat(crowd.allConnected()).isTrue();
    }

    /** One agent publishes 3 MiB, another downloads it through the place; then both stop handling assets. */
    private static boolean anHonestTransferArrivesWhole(HonestCrowd crowd) throws Exception {
        byte[] real = new byte[3 * MIB];
        new Random(9).nextBytes(real);
        AlloClient publisher = crowd.newcomer();
        AssetPeer.publish(publisher, AssetId.of(real), real);
        AlloClient fetcher = crowd.newcomer();
        byte[] fetched = Waits.await("the honest 3 MiB download", Duration.ofSeconds(30),
                AssetPeer.download(fetcher, AssetId.of(real), publisher.avatarId()));
        publisher.onAsset(frame -> { });
        fetcher.onAsset(frame -> { });
        return java.util.Arrays.equals(fetched, real);
    }

    /** Bytes in the asset store's temporary files (uploads in progress). */
    private long temporaryBytes() throws Exception {
        Path assets = data.resolve("assets");
        try (Stream<Path> files = Files.list(assets)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".tmp")).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (java.io.IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
