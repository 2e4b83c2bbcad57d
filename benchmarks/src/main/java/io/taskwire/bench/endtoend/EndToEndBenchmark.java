package io.taskwire.bench.endtoend;

import io.taskwire.bench.Progress;
import io.taskwire.bench.Settings;
import io.taskwire.bench.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Comparison 3: submit → result through a real scheduler and two real workers, per task against
 * batches of 100 and 1,000, with and without compression, in memory; and per task and batches of
 * 100 with the tasks stored in H2 and in PostgreSQL; and the same submissions through
 * {@code taskwire-client} against the bare rsocket-java client. Every variant has its own cluster, all started
 * up front, so that rounds can alternate between them.
 */
public final class EndToEndBenchmark {

    private final Settings settings;
    private final Map<Variant, Cluster> clusters = new LinkedHashMap<>();
    private final Map<Variant, List<Double>> throughput = new LinkedHashMap<>();
    private final Map<Variant, List<List<Double>>> latency = new LinkedHashMap<>();
    private final Map<Variant, Integer> tasksPerRound = new LinkedHashMap<>();
    private final Map<Variant, List<Drive.Burst>> cpu = new LinkedHashMap<>();
    private final Map<Variant, Cluster.Counts> counts = new LinkedHashMap<>();

    public EndToEndBenchmark(Settings settings) {
        this.settings = settings;
    }

    public void run() {
        try {
            start();
            for (Cluster cluster : clusters.values()) {
                warmUp(cluster);
            }
            List<Variant> variants = new ArrayList<>(clusters.keySet());
            Map<Variant, Cluster.Counts> before = new LinkedHashMap<>();
            clusters.forEach((variant, cluster) -> before.put(variant, cluster.counts()));
            for (int round = 0; round < settings.rounds(); round++) {
                for (int i = 0; i < variants.size(); i++) {
                    Variant variant = variants.get((round + i) % variants.size());
                    Drive.Burst burst = Drive.burst(clusters.get(variant), tasksPerRound.get(variant));
                    throughput.computeIfAbsent(variant, v -> new ArrayList<>()).add(burst.rate());
                    cpu.computeIfAbsent(variant, v -> new ArrayList<>()).add(burst);
                    progress("round %d, %s: %,.0f tasks/s, CPU per task %.0f µs scheduler, %.0f µs workers, %.0f µs client,"
                            + " %.0f µs database server", round + 1, variant.name(), burst.rate(), burst.schedulerMicros(),
                            burst.workersMicros(), burst.clientMicros(), burst.storeMicros());
                }
            }
            clusters.forEach((variant, cluster) -> counts.put(variant, cluster.counts().minus(before.get(variant))));
            for (int round = 0; round < settings.rounds(); round++) {
                for (int i = 0; i < variants.size(); i++) {
                    Variant variant = variants.get((round + i) % variants.size());
                    double perSecond = Stats.of(throughput.get(variant)).median() / 2;
                    Histogram histogram = Drive.openLoop(clusters.get(variant), perSecond, settings.latencyWindow());
                    latency.computeIfAbsent(variant, v -> new ArrayList<>()).add(List.of(
                            micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(99)),
                            micros(histogram.getValueAtPercentile(99.9))));
                    progress("round %d, %s at %,.0f tasks/s: p99 %,.0f µs", round + 1, variant.name(), perSecond,
                            micros(histogram.getValueAtPercentile(99)));
                }
            }
            double[] idleHeap = null;
            if (variants.stream().anyMatch(Variant::library)) {
                Cluster baseline = clusters.get(Variant.PER_TASK);
                idleHeap = ClientCosts.heapPerIdleConnection(baseline.rsocketPort(), baseline.clientToken());
                progress("heap per idle connection: %,.0f bytes taskwire-client, %,.0f bytes bare", idleHeap[0], idleHeap[1]);
            }
            new EndToEndReport(variants, throughput, latency, cpu, counts, idleHeap).print();
        } finally {
            clusters.values().forEach(Cluster::close);
        }
    }

    /**
     * One cluster after the other: many JVMs starting at once on two cores take minutes. The variants
     * chosen run, with the ones they are compared with (in memory; alone on the store, for one with a
     * standby); per task always runs, the baseline.
     */
    private void start() {
        int index = 0;
        for (Variant variant : Variant.ALL) {
            boolean chosen = settings.runsVariant(variant.name());
            boolean comparedWith = Variant.ALL.stream().anyMatch(other -> settings.runsVariant(other.name())
                    && (other.inMemory().equals(variant) || (other.standby() || other.library()) && other.alone().equals(variant)));
            if (!chosen && !comparedWith && variant != Variant.PER_TASK) {
                continue;
            }
            Cluster cluster = new Cluster(variant, index++);
            clusters.put(variant, cluster);
            cluster.awaitReady();
            progress("%s: scheduler and two workers ready", variant.name());
        }
    }

    /** Runs bursts until the warm-up time is spent; the last one sizes the timed rounds. */
    private void warmUp(Cluster cluster) {
        Variant variant = cluster.variant();
        long until = System.nanoTime() + settings.warmUp().toNanos();
        int tasks = variant.batchSize() * Math.max(1, 2_000 / variant.batchSize());
        double rate;
        do {
            rate = Drive.burst(cluster, tasks).rate();
        } while (System.nanoTime() < until);
        double wanted = rate * settings.throughputWindow().toMillis() / 1_000;
        int units = Math.max(2, (int) Math.round(wanted / variant.batchSize()));
        tasksPerRound.put(variant, units * variant.batchSize());
        progress("%s warmed up: %,.0f tasks/s, %,d tasks a round", variant.name(), rate, units * variant.batchSize());
    }

    private static double micros(long nanos) {
        return nanos / (double) TimeUnit.MICROSECONDS.toNanos(1);
    }

    private static void progress(String format, Object... args) {
        Progress.log("end to end", format, args);
    }

    static Duration drainTimeout() {
        return Duration.ofMinutes(2);
    }
}
