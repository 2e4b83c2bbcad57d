package io.taskwire.scheduler.console.overview;

import java.time.Duration;
import java.util.List;

/**
 * The overview's history as its stream sends it on connecting: the rates as columns, the form the
 * chart draws, and the latest sample for the numbers.
 *
 * @param periodMs milliseconds between samples
 * @param capacity the most samples the history holds, and the chart keeps
 * @param at when each sample was taken (milliseconds since the epoch), the oldest first
 * @param submitted tasks submitted per second at each sample
 * @param completed tasks succeeded per second at each sample
 * @param failed tasks failed or timed out per second at each sample
 * @param latest the newest sample; null before the first
 */
record OverviewHistory(long periodMs, int capacity, long[] at, double[] submitted, double[] completed,
                       double[] failed, OverviewSample latest) {

    static OverviewHistory of(Duration period, int capacity, List<OverviewSample> samples) {
        int n = samples.size();
        long[] at = new long[n];
        double[] submitted = new double[n];
        double[] completed = new double[n];
        double[] failed = new double[n];
        for (int i = 0; i < n; i++) {
            OverviewSample sample = samples.get(i);
            at[i] = sample.at();
            submitted[i] = sample.rates().submitted();
            completed[i] = sample.rates().completed();
            failed[i] = sample.rates().failed();
        }
        return new OverviewHistory(period.toMillis(), capacity, at, submitted, completed, failed,
                n == 0 ? null : samples.get(n - 1));
    }
}
