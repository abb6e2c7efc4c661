package dev.alloplace.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeartbeatHistogramTest {

    private static String scrape(long a, long b, long c, long inf) {
        return "# TYPE alloplace_heartbeat_seconds histogram\n"
                + "alloplace_heartbeat_seconds_bucket{application=\"alloplace\",le=\"1.0E-4\"} " + a + "\n"
                + "alloplace_heartbeat_seconds_bucket{application=\"alloplace\",le=\"2.0E-4\"} " + b + "\n"
                + "alloplace_heartbeat_seconds_bucket{application=\"alloplace\",le=\"4.0E-4\"} " + c + "\n"
                + "alloplace_heartbeat_seconds_bucket{application=\"alloplace\",le=\"+Inf\"} " + inf + "\n"
                + "alloplace_heartbeat_seconds_count{application=\"alloplace\"} " + inf + "\n";
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadingsWhateverCameBefore() {
        HeartbeatHistogram before = HeartbeatHistogram.parse(scrape(1000, 1000, 1000, 1000));
        HeartbeatHistogram after = HeartbeatHistogram.parse(scrape(1000, 1050, 1100, 1100));

        HeartbeatHistogram window = after.since(before);

        assertThat(window.count()).isEqualTo(100);
        assertThat(window.quantileMillis(0.5).getAsDouble()).as("the 50th of 100, the last of the 0.1-0.2 ms bucket")
                .isCloseTo(0.2, within(1e-9));
        assertThat(window.quantileMillis(0.75).getAsDouble()).as("half way through the 0.2-0.4 ms bucket")
                .isCloseTo(0.3, within(1e-9));
        assertThat(before.quantileMillis(0.5).getAsDouble()).as("the earlier heartbeats alone").isCloseTo(0.05, within(1e-9));
    }

    @Test
    void nothingCountedIsNothingMeasuredAndTheTailIsAtLeastTheLastBound() {
        HeartbeatHistogram none = HeartbeatHistogram.parse(scrape(5, 5, 5, 5)).since(HeartbeatHistogram.parse(scrape(5, 5, 5, 5)));
        assertThat(none.quantileMillis(0.5)).isEmpty();
        assertThat(HeartbeatHistogram.parse("no such metric\n").quantileMillis(0.5)).isEmpty();
        HeartbeatHistogram slow = HeartbeatHistogram.parse(scrape(0, 0, 0, 10));
        assertThat(slow.quantileMillis(0.99).getAsDouble()).isCloseTo(0.4, within(1e-9));
    }
}
