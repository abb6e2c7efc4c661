package dev.alloplace.loadgen;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The server's heartbeat times as its Prometheus histogram has them ({@code
 * alloplace_heartbeat_seconds_bucket}): cumulative counts per upper bound. Two readings taken
 * at the ends of a window give the window's own histogram, whatever the server did before it;
 * percentiles are interpolated within a bucket as Prometheus' {@code histogram_quantile} does
 * (the server's buckets, from 10 µs up, are at most a third apart).
 */
record HeartbeatHistogram(double[] upperBoundsSeconds, long[] cumulativeCounts) {

    static final String METRIC = "alloplace_heartbeat_seconds_bucket";
    static final HeartbeatHistogram EMPTY = new HeartbeatHistogram(new double[0], new long[0]);

    /** The histogram in a Prometheus text scrape, or {@link #EMPTY} when it has none. */
    static HeartbeatHistogram parse(String scrape) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(METRIC + "{")) {
                continue;
            }
            int le = line.indexOf("le=\"");
            int close = line.indexOf('"', le + 4);
            int space = line.lastIndexOf(' ');
            if (le < 0 || close < 0 || space < close) {
                continue;
            }
            String bound = line.substring(le + 4, close);
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            buckets.put(upper, (long) Double.parseDouble(line.substring(space + 1)));
        }
        double[] bounds = new double[buckets.size()];
        long[] counts = new long[buckets.size()];
        int i = 0;
        for (var entry : buckets.entrySet()) {
            bounds[i] = entry.getKey();
            counts[i++] = entry.getValue();
        }
        return new HeartbeatHistogram(bounds, counts);
    }

    long count() {
        return cumulativeCounts.length == 0 ? 0 : cumulativeCounts[cumulativeCounts.length - 1];
    }

    /** What happened between {@code earlier} and this reading (same buckets; else nothing known). */
    HeartbeatHistogram since(HeartbeatHistogram earlier) {
        if (!Arrays.equals(upperBoundsSeconds, earlier.upperBoundsSeconds)) {
            return earlier.cumulativeCounts.length == 0 ? this : EMPTY;
        }
        long[] counts = new long[cumulativeCounts.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = cumulativeCounts[i] - earlier.cumulativeCounts[i];
        }
        return new HeartbeatHistogram(upperBoundsSeconds, counts);
    }

    /** The {@code q} quantile in milliseconds, or empty when no heartbeat was counted. */
    OptionalDouble quantileMillis(double q) {
        long total = count();
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < cumulativeCounts.length; i++) {
            long upTo = cumulativeCounts[i];
            double upper = upperBoundsSeconds[i];
            if (upTo >= rank && upTo > below) {
                if (Double.isInfinite(upper)) {
                    return OptionalDouble.of(lower * 1000); // beyond the last bound: at least that
                }
                return OptionalDouble.of((lower + (upper - lower) * (rank - below) / (upTo - below)) * 1000);
            }
            below = upTo;
            lower = Double.isInfinite(upper) ? lower : upper;
        }
        return OptionalDouble.of(lower * 1000);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeartbeatHistogram h && Arrays.equals(upperBoundsSeconds, h.upperBoundsSeconds)
                && Arrays.equals(cumulativeCounts, h.cumulativeCounts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(upperBoundsSeconds) * 31 + Arrays.hashCode(cumulativeCounts);
    }

    @Override
    public String toString() {
        return "HeartbeatHistogram" + Arrays.toString(cumulativeCounts);
    }
}
