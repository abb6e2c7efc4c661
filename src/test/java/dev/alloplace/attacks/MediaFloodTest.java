package dev.alloplace.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.Disconnected;
import dev.alloplace.enet.DisconnectReasons;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.testing.HeapGauge;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import dev.alloplace.testing.Waits;
import dev.alloplace.transport.DisconnectCause;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sender that floods its video track as fast as its socket lets it (unreliable packets, so no
 * send window slows it down). What it sends waits in its own queue, paced by the place's fair
 * share; when the place cannot keep up, its backlog overflows (1006), or what its ENet channel
 * holds behind a lost reliable packet passes the transport's cap (1111), and it is disconnected.
 * Its subscriber is sent what the place forwarded, and unreliable media never piles up in a
 * subscriber's outgoing queue (it leaves at the next flush or is dropped by the throttle).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class MediaFloodTest {

    private static final int MIB = 1024 * 1024;
    private static final int FRAME_BYTES = 1_000;
    /** An upper bound on the flood, so that the test is bounded even if the place never pushes back. */
    private static final long MOST_FRAMES = 400_000;

    @Test
    void aVideoFloodIsPacedOrDroppedAndItsSubscriberAndHonestVisorsKeepTheirState(TestPlace place) throws Exception {
        HonestCrowd crowd = HonestCrowd.join(place, 4);
        AlloClient flooder = place.join("flooder");
        AlloClient watcher = place.join("watcher");
        AtomicLong watched = new AtomicLong();
        watcher.onMedia((role, bytes) -> watched.incrementAndGet());
        ArrayNode allocated = place.ask(flooder, "allocate_track", "video", "mjpeg",
                JsonNodeFactory.instance.objectNode().put("width", 640).put("height", 480));
        assertThat(allocated.get(1).asText()).as("%s", allocated).isEqualTo("ok");
        long track = allocated.get(2).asLong();
        assertThat(place.ask(watcher, "media_track", track, "subscribe").get(1).asText()).isEqualTo("ok");
        long baseline = HeapGauge.usedAfterGc();

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread flood = new Thread(() -> {
            byte[] frame = ByteBuffer.allocate(FRAME_BYTES).putInt((int) track).array();
            while (flooding.get() && sent.get() < MOST_FRAMES && !flooder.disconnected().isDone()) {
                flooder.sendMedia(ChannelRole.VIDEO, frame);
                if (sent.incrementAndGet() % 100 == 0) {
                    // Paced, because the flooder's own ENet host (like C ENet's) drops a peer whose
                    // outgoing queue passes its cap, and the test needs the place to push back.
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }, "media-flood");
        flood.start();
        double diffRate;
        long during;
        try {
            diffRate = crowd.slowestDiffRate(3_000);
            during = HeapGauge.usedAfterGc();
        } finally {
            flooding.set(false);
            flood.join(Waits.PATIENCE.toMillis());
        }
        Disconnected ended = flooder.disconnected().getNow(null);

        HonestCrowd.report("media flood: %d frames of %d bytes sent, %d forwarded to the one subscriber, heap +%s,"
                + " slowest honest %.1f diffs/s, flooder %s", sent.get(), FRAME_BYTES, watched.get(),
                HeapGauge.mib(during - baseline), diffRate,
                ended == null ? "still connected, paced" : ended);
        if (ended != null) {
            assertThat(ended.cause()).as("the place let the flooder go, %s", ended).isEqualTo(DisconnectCause.REMOTE);
            assertThat(ended.data()).as("its backlog in the place (1006) or what its ENet channel held in order"
                    + " (1111) overflowed, %s", ended).isIn(DisconnectReason.BACKLOG.code(), DisconnectReasons.REASSEMBLY_LIMIT);
        }
        assertThat(watched.get()).as("the subscriber is sent the track").isPositive();
        assertThat(diffRate).as("diffs per second of the slowest honest client").isGreaterThanOrEqualTo(5);
        assertThat(during - baseline).as("heap growth during the flood (%s)", HeapGauge.mib(during - baseline))
                .isLessThan(48L * MIB);
        assertThat(crowd.allConnected()).as("honest visors still connected").isTrue();
        assertThat(watcher.disconnected().isDone()).as("the subscriber is not dropped for the flood").isFalse();
        assertThat(crowd.newcomer().avatarId()).as("a newcomer joins after the flood").isNotEmpty();
    }
}
