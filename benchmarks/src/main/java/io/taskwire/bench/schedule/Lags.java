package io.taskwire.bench.schedule;

import java.util.List;

/**
 * Exact percentiles of a few thousand lags (nearest rank), in ms.
 *
 * @param count how many
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param max the largest
 */
record Lags(int count, double p50, double p99, double max) {

    /** @param nanos the lags, in ns, at least one */
    static Lags of(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no lags to summarise");
        }
        return new Lags(sorted.length, millis(rank(sorted, 50)), millis(rank(sorted, 99)), millis(sorted[sorted.length - 1]));
    }

    private static long rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
