package dev.alloplace.place;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The world's write rate: a burst at once, then the rate, shared among those writing. */
class WriteRateTest {

    private static final long SECOND = 1_000_000_000L;

    private static Agent agent(String id) {
        return new Agent(id, new ConnectionId(id.hashCode()), new InetSocketAddress("127.0.0.1", 1), ChannelLayout.V4, 0,
                new AgentQueue(1000, 0));
    }

    @Test
    void aSceneWithinTheBurstIsWrittenAtOnceAndTheRateRefillsIt() {
        WriteRate rate = new WriteRate(1000, 5000, 0);
        Agent builder = agent("builder");
        for (int i = 0; i < 50; i++) {
            rate.written(builder, 100);
        }
        assertThat(builder.queue().writeDebt).as("5,000 bytes within a 5,000-byte burst").isZero();
        assertThat(rate.available()).isZero();

        rate.heartbeat(2 * SECOND, List.of(builder));
        assertThat(rate.available()).as("two seconds at 1,000 bytes a second").isEqualTo(2000);
        rate.heartbeat(60 * SECOND, List.of(builder));
        assertThat(rate.available()).as("never more than the burst").isEqualTo(5000);
    }

    @Test
    void beyondTheBurstAWriterOwesTheRestAndThoseWritingAtOnceShareTheRate() {
        WriteRate rate = new WriteRate(1000, 1000, 0);
        Agent big = agent("big");
        Agent small = agent("small");
        rate.written(big, 4000);
        rate.written(small, 500);
        assertThat(big.queue().writeDebt).isEqualTo(3000);
        assertThat(small.queue().writeDebt).isEqualTo(500);

        rate.heartbeat(SECOND, List.of(big, small));
        assertThat(small.queue().writeDebt).as("an equal share each: 500 of the second's 1,000 bytes").isZero();
        assertThat(big.queue().writeDebt).isEqualTo(2500);
        rate.heartbeat(2 * SECOND, List.of(big, small));
        assertThat(big.queue().writeDebt).as("alone in debt, it gets all of the rate").isEqualTo(1500);
        assertThat(rate.available()).as("the bucket refills only once every debt is paid").isZero();
        rate.heartbeat(4 * SECOND, List.of(big, small));
        assertThat(big.queue().writeDebt).isZero();
        assertThat(rate.available()).isEqualTo(500);
    }
}
