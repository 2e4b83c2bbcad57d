package io.taskwire.bench;

import java.util.Arrays;
import java.util.List;

/** Median and range of the rounds of one figure. */
public record Stats(double median, double min, double max) {

    public static Stats of(List<Double> rounds) {
        double[] sorted = rounds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1]);
    }

    /** @return e.g. {@code 41,200 (39,800–42,100)} */
    public String format(String pattern) {
        return String.format(pattern + " (" + pattern + "–" + pattern + ")", median, min, max);
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[] {median, min, max});
    }
}
