package io.taskwire.bench;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Prints comparison 1 as Markdown tables, with the targets' ratios. */
record RequestResponseReport(List<Candidate> candidates, Map<Candidate, List<List<Double>>> throughput,
                             Map<Candidate, List<List<Double>>> latency,
                             Map<Candidate, List<List<Double>>> latencyAtBaselineRate, Map<Candidate, Double> peak) {

    void print() {
        System.out.println("## 1. Request-response\n");
        System.out.println("Throughput, calls per second, closed loop; median of the rounds (min–max).\n");
        System.out.println("| candidate | 1 in flight | 16 in flight | 64 in flight |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Candidate candidate : candidates) {
            System.out.print("| " + candidate.name());
            throughput.get(candidate).forEach(rounds -> System.out.print(" | " + Stats.of(rounds).format("%,.0f")));
            System.out.println(" |");
        }
        System.out.println("\nLatency in µs at 50% of the candidate's own peak, open loop, measured from each call's"
                + " intended send time; median of the rounds (min–max).\n");
        printLatency(latency, candidate -> peak.get(candidate) / 2);
        System.out.println("\nLatency in µs, all at the same rate, 50% of the Spring MVC baseline's peak; median of the"
                + " rounds (min–max).\n");
        printLatency(latencyAtBaselineRate, candidate -> peak.get(candidates.get(1)) / 2);
        printTargets();
    }

    private void printLatency(Map<Candidate, List<List<Double>>> figures, ToDoubleFunction<Candidate> rate) {
        System.out.println("| candidate | rate, calls/s | p50 | p99 | p99.9 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Candidate candidate : candidates) {
            System.out.printf("| %s | %,.0f", candidate.name(), rate.applyAsDouble(candidate));
            figures.get(candidate).forEach(rounds -> System.out.print(" | " + Stats.of(rounds).format("%,.0f")));
            System.out.println(" |");
        }
    }

    private void printTargets() {
        Candidate taskwire = candidates.get(0);
        Candidate mvc = candidates.get(1);
        Candidate raw = candidates.get(2);
        double p99Ratio = median(latency, taskwire, 1) / median(latency, mvc, 1);
        System.out.println("\nTargets (ratios of medians within this run; throughput at peak, i.e. the best of 1/16/64):\n");
        System.out.println("| target | measured | met |");
        System.out.println("| --- | ---: | --- |");
        row("Taskwire throughput ≥ 2× Spring MVC", peak.get(taskwire) / peak.get(mvc), 2, true);
        row("Taskwire p99 ≤ 0.4× Spring MVC p99 (each at half its peak)", p99Ratio, 0.4, false);
        row("(same, both at 50% of Spring MVC's peak)",
                median(latencyAtBaselineRate, taskwire, 1) / median(latencyAtBaselineRate, mvc, 1), 0.4, false);
        row("Taskwire throughput ≥ 0.6× raw rsocket-java", peak.get(taskwire) / peak.get(raw), 0.6, true);
        System.out.println();
    }

    private static void row(String target, double ratio, double bound, boolean atLeast) {
        boolean met = atLeast ? ratio >= bound : ratio <= bound;
        System.out.printf("| %s | %.2f× | %s |%n", target, ratio, met ? "yes" : "**no**");
    }

    private static double median(Map<Candidate, List<List<Double>>> figures, Candidate candidate, int index) {
        return Stats.of(figures.get(candidate).get(index)).median();
    }
}
