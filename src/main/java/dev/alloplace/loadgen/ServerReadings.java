package dev.alloplace.loadgen;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's readings of a run, asked for once a second and used as they arrive: a second's
 * figures cover the time between the two newest readings that came back, so an admin endpoint
 * that answers late under load shifts a figure into the next second instead of losing it or
 * holding up the measured second. One thread (the run's) uses it.
 */
final class ServerReadings {

    /** What happened between two readings; empty when there is no newer reading to compare. */
    record Since(HeartbeatHistogram heartbeats, OptionalDouble cpuPercent) {
        static final Since NOTHING = new Since(HeartbeatHistogram.EMPTY, OptionalDouble.empty());
    }

    private final Deque<CompletableFuture<Optional<ServerProbe.Reading>>> asked = new ArrayDeque<>();
    private ServerProbe.Reading used;

    ServerReadings(Optional<ServerProbe.Reading> first) {
        this.used = first.orElse(null);
    }

    void ask(CompletableFuture<Optional<ServerProbe.Reading>> reading) {
        asked.addLast(reading);
    }

    /**
     * Waits up to {@code patienceNanos} for the newest reading asked for, then compares the
     * newest reading that has arrived with the one used before.
     */
    Since newest(long patienceNanos) throws InterruptedException {
        CompletableFuture<Optional<ServerProbe.Reading>> latest = asked.peekLast();
        if (latest != null) {
            try {
                latest.get(Math.max(0, patienceNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException late) {
                // an earlier one may have arrived meanwhile
            }
        }
        ServerProbe.Reading arrived = null;
        while (!asked.isEmpty() && asked.peekFirst().isDone()) {
            Optional<ServerProbe.Reading> r = asked.pollFirst().getNow(Optional.empty());
            if (r.isPresent()) {
                arrived = r.get();
            }
        }
        if (arrived == null) {
            return Since.NOTHING;
        }
        Since since = used == null ? Since.NOTHING
                : new Since(arrived.heartbeats().since(used.heartbeats()), arrived.cpuPercentSince(used));
        used = arrived;
        return since;
    }

    /** The last reading of the run: the newest that arrives within {@code patience}, else the newest used. */
    Optional<ServerProbe.Reading> last(Duration patience) throws InterruptedException {
        newest(patience.toNanos());
        return Optional.ofNullable(used);
    }
}
