package io.taskwire.bench.endtoend;

import io.taskwire.bench.Stats;
import java.util.List;
import java.util.Map;

/** Prints comparison 3 as Markdown tables, with the targets' ratios. */
record EndToEndReport(List<Variant> variants, Map<Variant, List<Double>> throughput,
                      Map<Variant, List<List<Double>>> latency, Map<Variant, List<Drive.Burst>> cpu) {

    void print() {
        Variant perTask = variants.get(0);
        double baseline = median(perTask);
        System.out.println("## 3. End to end, submit → result, a scheduler and two workers\n");
        System.out.println("Tasks finished per second, burst of submissions to the last completion; median of the rounds"
                + " (min–max).\n");
        System.out.println("| variant | tasks/s | vs per task |");
        System.out.println("| --- | ---: | ---: |");
        for (Variant variant : variants) {
            System.out.printf("| %s | %s | %.2f× |%n", variant.name(), Stats.of(throughput.get(variant)).format("%,.0f"),
                    median(variant) / baseline);
        }
        System.out.println("\nSubmit-to-finish latency in ms at 50% of the variant's own peak, open loop, from each"
                + " submission's intended send time to the task's final event at the client; median of the rounds"
                + " (min–max).\n");
        System.out.println("| variant | rate, tasks/s | p50 | p99 | p99.9 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Variant variant : variants) {
            System.out.printf("| %s | %,.0f | %s | %s | %s |%n", variant.name(), median(variant) / 2,
                    percentile(variant, 0), percentile(variant, 1), percentile(variant, 2));
        }
        printCpu();
        printTargets(baseline);
    }

    /** Where the work is: CPU time per task of each process during the throughput rounds. */
    private void printCpu() {
        System.out.println("\nCPU time per task during the throughput rounds, in µs, by process (`ProcessHandle` for the"
                + " scheduler and the workers, this JVM for the client); median of the rounds (min–max).\n");
        System.out.println("| variant | scheduler | both workers | client | all |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Variant variant : variants) {
            List<Drive.Burst> rounds = cpu.get(variant);
            System.out.printf("| %s | %s | %s | %s | %s |%n", variant.name(),
                    micros(rounds, Drive.Burst::schedulerMicros), micros(rounds, Drive.Burst::workersMicros),
                    micros(rounds, Drive.Burst::clientMicros),
                    micros(rounds, burst -> burst.schedulerMicros() + burst.workersMicros() + burst.clientMicros()));
        }
    }

    private static String micros(List<Drive.Burst> rounds, java.util.function.ToDoubleFunction<Drive.Burst> figure) {
        return Stats.of(rounds.stream().map(figure::applyAsDouble).toList()).format("%,.0f");
    }

    private void printTargets(double baseline) {
        System.out.println("\nTargets (ratios of medians within this run):\n");
        System.out.println("| target | measured | met |");
        System.out.println("| --- | ---: | --- |");
        for (Variant variant : variants.subList(1, variants.size())) {
            double ratio = median(variant) / baseline;
            System.out.printf("| %s ≥ 8× per task | %.2f× | %s |%n", variant.name(), ratio, ratio >= 8 ? "yes" : "**no**");
        }
        for (int i = 1; i + 1 < variants.size(); i += 2) {
            Variant identity = variants.get(i);
            Variant zstd = variants.get(i + 1);
            double ratio = median(zstd) / median(identity);
            System.out.printf("| %s ≥ 0.7× %s | %.2f× | %s |%n", zstd.name(), identity.name(), ratio,
                    ratio >= 0.7 ? "yes" : "**no**");
        }
        System.out.println();
    }

    private double median(Variant variant) {
        return Stats.of(throughput.get(variant)).median();
    }

    private String percentile(Variant variant, int index) {
        return Stats.of(latency.get(variant).stream().map(round -> round.get(index) / 1_000).toList()).format("%,.1f");
    }
}
