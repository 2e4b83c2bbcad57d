package io.taskwire.bench.endtoend;

import io.taskwire.bench.Stats;
import java.util.List;
import java.util.Map;

/** Prints comparison 3 as Markdown tables, with the targets' ratios. */
record EndToEndReport(List<Variant> variants, Map<Variant, List<Double>> throughput,
                      Map<Variant, List<List<Double>>> latency, Map<Variant, List<Drive.Burst>> cpu,
                      Map<Variant, Cluster.Counts> counts, double[] idleHeap) {

    void print() {
        Variant perTask = variants.get(0);
        double baseline = median(perTask);
        System.out.println("## 3. End to end, submit → result, a scheduler and two workers\n");
        System.out.println("Tasks finished per second, burst of submissions to the last completion; median of the rounds"
                + " (min–max).\n");
        System.out.println("| variant | tasks/s | vs per task (in memory) |");
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
        printMessages();
        printDurable();
        printStandby();
        printLibrary();
        printTargets(baseline);
    }

    /** How many tasks and results shared a message, in the batched variants. */
    private void printMessages() {
        System.out.println("\nMessages over the throughput rounds, batched variants: tasks per `task.execute.batch` the"
                + " scheduler sent, and results per message (`task.result` or `task.result.batch`) it received.\n");
        System.out.println("| variant | tasks per batch sent | results per message received |");
        System.out.println("| --- | ---: | ---: |");
        for (Variant variant : variants) {
            Cluster.Counts done = counts.get(variant);
            if (!variant.perTask()) {
                System.out.printf("| %s | %,.1f | %,.1f |%n", variant.name(),
                        done.batches() == 0 ? 0 : done.batchedTasks() / done.batches(),
                        done.resultMessages() == 0 ? 0 : done.batchedTasks() / done.resultMessages());
            }
        }
    }

    /** The durable stores beside the in-memory variant they are compared with. */
    private void printDurable() {
        if (durable().isEmpty()) {
            return;
        }
        System.out.println("\nDurable stores against the same variant in memory (ratios of medians within this run);"
                + " commits over the throughput rounds: writes that shared one commit, and a commit's mean time.\n");
        System.out.println("| variant | tasks/s | vs in memory | p99, ms | p99 vs in memory | writes per commit | commit, ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Variant variant : durable()) {
            Cluster.Counts done = counts.get(variant);
            System.out.printf("| %s | %,.0f | %.2f× | %,.1f | %.2f× | %,.1f | %.2f |%n", variant.name(), median(variant),
                    median(variant) / median(variant.inMemory()), p99(variant), p99(variant) / p99(variant.inMemory()),
                    done.commits() == 0 ? 0 : done.writes() / done.commits(),
                    done.commits() == 0 ? 0 : done.commitSeconds() * 1_000 / done.commits());
        }
    }

    /** A second scheduler standing by on the store, against the same variant with the leader alone on it. */
    private void printStandby() {
        List<Variant> withStandby = variants.stream().filter(Variant::standby).toList();
        if (withStandby.isEmpty()) {
            return;
        }
        System.out.println("\nA standby scheduler on the same store, against the leader alone on it (ratios of medians"
                + " within this run; the rounds' spread, min–max, is the noise to judge them by).\n");
        System.out.println("| variant | tasks/s | alone | vs alone | p99, ms | p99 vs alone | the standby's CPU, µs per task |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Variant variant : withStandby) {
            Variant alone = variant.alone();
            System.out.printf("| %s | %s | %s | %.2f× | %,.1f | %.2f× | %s |%n", variant.name(),
                    Stats.of(throughput.get(variant)).format("%,.0f"), Stats.of(throughput.get(alone)).format("%,.0f"),
                    median(variant) / median(alone), p99(variant), p99(variant) / p99(alone),
                    micros(cpu.get(variant), Drive.Burst::standbyMicros));
        }
    }

    /** Submissions through {@code taskwire-client}, against the bare rsocket-java client in the same run. */
    private void printLibrary() {
        List<Variant> library = variants.stream().filter(Variant::library).toList();
        if (library.isEmpty()) {
            return;
        }
        System.out.println("\nSubmissions through `taskwire-client` against the bare rsocket-java client, the same"
                + " tasks to the same kind of cluster (ratios of medians within this run; the rounds' spread, min–max,"
                + " is the noise to judge them by).\n");
        System.out.println("| variant | tasks/s | bare | vs bare | p99, ms | bare p99, ms | p99 vs bare | client CPU, µs per task | bare | client allocations, bytes per task | bare |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Variant variant : library) {
            Variant bare = variant.alone();
            System.out.printf("| %s | %s | %s | %.2f× | %,.1f | %,.1f | %.2f× | %s | %s | %s | %s |%n", variant.name(),
                    Stats.of(throughput.get(variant)).format("%,.0f"), Stats.of(throughput.get(bare)).format("%,.0f"),
                    median(variant) / median(bare), p99(variant), p99(bare), p99(variant) / p99(bare),
                    micros(cpu.get(variant), Drive.Burst::clientMicros), micros(cpu.get(bare), Drive.Burst::clientMicros),
                    micros(cpu.get(variant), Drive.Burst::clientBytes), micros(cpu.get(bare), Drive.Burst::clientBytes));
        }
        if (idleHeap != null) {
            System.out.printf("%nHeap one idle connection holds in the client's JVM, %d connections opened and settled"
                    + " (after GC): %,.0f bytes through `taskwire-client`, %,.0f bytes for the bare rsocket-java client.%n",
                    ClientCosts.IDLE_CONNECTIONS, idleHeap[0], idleHeap[1]);
        }
    }

    private List<Variant> durable() {
        return variants.stream().filter(variant -> variant.store().durable()).toList();
    }

    private List<Variant> inMemory() {
        return variants.stream().filter(variant -> !variant.store().durable() && !variant.library()).toList();
    }

    /** Where the work is: CPU time per task of each process during the throughput rounds. */
    private void printCpu() {
        System.out.println("\nCPU time per task during the throughput rounds, in µs, by process (`ProcessHandle` for the"
                + " scheduler and the workers, this JVM for the client, PostgreSQL's processes for its server);"
                + " median of the rounds (min–max).\n");
        System.out.println("| variant | scheduler | both workers | client | PostgreSQL | all |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Variant variant : variants) {
            List<Drive.Burst> rounds = cpu.get(variant);
            System.out.printf("| %s | %s | %s | %s | %s | %s |%n", variant.name(),
                    micros(rounds, Drive.Burst::schedulerMicros), micros(rounds, Drive.Burst::workersMicros),
                    micros(rounds, Drive.Burst::clientMicros), micros(rounds, Drive.Burst::storeMicros),
                    micros(rounds, burst -> burst.schedulerMicros() + burst.workersMicros() + burst.clientMicros()
                            + burst.storeMicros()));
        }
    }

    private static String micros(List<Drive.Burst> rounds, java.util.function.ToDoubleFunction<Drive.Burst> figure) {
        return Stats.of(rounds.stream().map(figure::applyAsDouble).toList()).format("%,.0f");
    }

    private void printTargets(double baseline) {
        System.out.println("\nTargets (ratios of medians within this run):\n");
        System.out.println("| target | measured | met |");
        System.out.println("| --- | ---: | --- |");
        List<Variant> memory = inMemory();
        for (Variant variant : memory.subList(1, memory.size())) {
            double ratio = median(variant) / baseline;
            target(variant.name() + " ≥ 8× per task", ratio, "%.2f×", ratio >= 8);
        }
        for (int i = 1; i + 1 < memory.size(); i += 2) {
            Variant identity = memory.get(i);
            Variant zstd = memory.get(i + 1);
            double ratio = median(zstd) / median(identity);
            target(zstd.name() + " ≥ 0.7× " + identity.name(), ratio, "%.2f×", ratio >= 0.7);
        }
        for (Variant variant : durable()) {
            Variant base = variant.inMemory();
            double ratio = median(variant) / median(base);
            double floor = variant.perTask() ? 0.5 : 0.7;
            target(variant.name() + " ≥ " + floor + "× " + base.name(), ratio, "%.2f×", ratio >= floor);
            if (!variant.perTask()) {
                target(variant.name() + " ≥ 12,000 tasks/s", median(variant), "%,.0f", median(variant) >= 12_000);
            }
            double latency = p99(variant) / p99(base);
            target(variant.name() + ": p99 at half load ≤ 2× " + base.name() + "'s", latency, "%.2f×", latency <= 2);
        }
        System.out.println();
    }

    private static void target(String target, double measured, String format, boolean met) {
        System.out.printf("| %s | %s | %s |%n", target, String.format(format, measured), met ? "yes" : "**no**");
    }

    /** @return the median p99 of the variant's latency rounds, in ms */
    private double p99(Variant variant) {
        return Stats.of(latency.get(variant).stream().map(round -> round.get(1) / 1_000).toList()).median();
    }

    private double median(Variant variant) {
        return Stats.of(throughput.get(variant)).median();
    }

    private String percentile(Variant variant, int index) {
        return Stats.of(latency.get(variant).stream().map(round -> round.get(index) / 1_000).toList()).format("%,.1f");
    }
}
