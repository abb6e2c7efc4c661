package dev.alloplace.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.place.PlaceStats;
import dev.alloplace.state.Revisions;
import dev.alloplace.transport.TransportStats;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The inspector's memory of the place: fixed rings that keep the newest and answer "since". */
class InspectorRingsTest {

    private static final Clock WALL = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    private static PlaceStats stats(long heartbeats, long heartbeatNanos, int agents, long interactions) {
        return new PlaceStats(agents, agents, 10 + agents, 20, 100 + heartbeats, heartbeats, heartbeatNanos, 0, 0, 0,
                interactions, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theHistoryKeepsOneSampleASecondAndForgetsTheOldestBeyondItsCapacity() {
        StatsHistory history = new StatsHistory(5);
        long[] sent = {0};
        // 20 heartbeats a second for 8 seconds; the network sends 1,000 bytes a heartbeat.
        for (int beat = 0; beat <= 160; beat++) {
            double time = beat / 20.0;
            sent[0] = beat * 1000L;
            history.heartbeat(time, stats(beat, (beat % 20 == 7 ? 9 : 1) * 1_000_000L, beat / 40, beat * 3L),
                    () -> new TransportStats(1, 0, 0, sent[0], sent[0] / 2, 0, 0));
        }

        var samples = history.since(0);
        assertThat(samples).hasSize(5);
        assertThat(samples).extracting(HistorySample::time).containsExactly(4.0, 5.0, 6.0, 7.0, 8.0);
        HistorySample last = samples.get(4);
        assertThat(last.bytesOutPerSecond()).isEqualTo(20_000.0);
        assertThat(last.bytesInPerSecond()).isEqualTo(10_000.0);
        assertThat(last.interactionsPerSecond()).isEqualTo(60.0);
        assertThat(last.heartbeatMaxMs()).isEqualTo(9.0);
        assertThat(last.heartbeatMeanMs()).isEqualTo((19 * 1 + 9) / 20.0);
        assertThat(last.agents()).isEqualTo(4);
        assertThat(history.since(6.0)).extracting(HistorySample::time).containsExactly(7.0, 8.0);
        assertThat(history.since(8.0)).isEmpty();
    }

    @Test
    void aRepeatedDenialIsFoldedIntoOneEventThatComesBackAsNew() {
        EventLog log = new EventLog(4, WALL);
        log.add(1.0, "join", "a", "Alice", "avatar x");
        log.addOrFold(2.0, "denied", "a", "Alice", "acl_add (rule rule-1)");
        log.add(3.0, "join", "b", "Bob", "avatar y");
        long seen = log.since(0).get(2).seq();
        log.addOrFold(4.0, "denied", "a", "Alice", "acl_add (rule rule-1)");
        log.addOrFold(5.0, "denied", "a", "Alice", "acl_add (rule rule-1)");

        var all = log.since(0);
        assertThat(all).extracting(PlaceEvent::kind).containsExactly("join", "join", "denied");
        PlaceEvent denied = all.get(2);
        assertThat(denied.count()).isEqualTo(3);
        assertThat(denied.id()).isEqualTo(2);
        assertThat(denied.time()).isEqualTo(5.0);
        assertThat(denied.at()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(log.since(seen)).containsExactly(denied);
    }

    @Test
    void theEventLogKeepsTheNewestAndClipsWhatAgentsChose() {
        EventLog log = new EventLog(3, WALL);
        for (int i = 0; i < 10; i++) {
            log.add(i, "join", "agent" + i, "x".repeat(10_000), "avatar");
        }
        var all = log.since(0);
        assertThat(all).extracting(PlaceEvent::agent).containsExactly("agent7", "agent8", "agent9");
        assertThat(all.get(0).name()).hasSize(PlaceEvent.MAX_TEXT).endsWith("…");
    }

    @Test
    void stateLagIsCountedInRevisionsAndTimeSinceTheFirstRevisionTheAgentHasNot() {
        RevisionTimes times = new RevisionTimes();
        for (int beat = 0; beat < 100; beat++) {
            times.note(1000 + beat, beat * 0.05);
        }
        // at 4.95 s the place is at 1099; an agent at 1059 has been behind since 1060 (3.0 s)
        RevisionTimes.Lag lag = times.lag(1059, 1099, 4.95);
        assertThat(lag.revisions()).isEqualTo(40);
        assertThat(lag.seconds()).isCloseTo(1.95, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lag.atLeast()).isFalse();
        assertThat(times.lag(1099, 1099, 4.95).revisions()).isZero();
        assertThat(times.lag(2000, 1099, 4.95)).as("an ack the place has not reached is a client's claim").isNull();
    }

    @Test
    void anAgentBehindEverythingNotedIsAtLeastThatFarBehindAcrossTheWrap() {
        RevisionTimes times = new RevisionTimes();
        long start = Revisions.WRAP - 10;
        long current = start;
        for (int beat = 0; beat < RevisionTimes.CAPACITY + 50; beat++) {
            current = beat == 0 ? start : Revisions.next(current);
            times.note(current, beat * 0.05);
        }
        RevisionTimes.Lag lag = times.lag(start, current, (RevisionTimes.CAPACITY + 50) * 0.05);
        assertThat(lag.revisions()).isEqualTo(RevisionTimes.CAPACITY + 49);
        assertThat(lag.atLeast()).isTrue();
        assertThat(lag.seconds()).isCloseTo(RevisionTimes.CAPACITY * 0.05, org.assertj.core.data.Offset.offset(0.06));
    }
}
