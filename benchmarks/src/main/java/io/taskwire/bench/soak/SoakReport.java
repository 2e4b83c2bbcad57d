package io.taskwire.bench.soak;

import io.taskwire.bench.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Collects the soak's figures and prints them as Markdown, in the shape of RELIABILITY.md's soak section. */
final class SoakReport {

    private static final double MIB = 1024 * 1024;

    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final List<String> attackRows = new ArrayList<>();
    private double burstRate;
    private double attackerCores;
    private double rate;
    private Memory start;
    private Memory peak;
    private Memory end;
    private long submitted;
    private long completed;
    private long succeeded;
    private List<String> log = List.of();
    private List<Map.Entry<String, Long>> growth = List.of();
    private final List<String> schedulerJvm;

    /** @param schedulerJvm the scheduler's JVM options but its heap */
    SoakReport(List<String> schedulerJvm) {
        this.schedulerJvm = schedulerJvm;
    }

    void traffic(double burstRate, double rate) {
        this.burstRate = burstRate;
        this.rate = rate;
    }

    void phase(String name, Phase phase) {
        phases.put(name, phase);
    }

    void memory(Memory start, Memory peak, Memory end, Map<String, Long> liveAtStart, Map<String, Long> liveAtEnd) {
        this.start = start;
        this.peak = peak;
        this.end = end;
        Map<String, Long> growth = new HashMap<>(liveAtEnd);
        liveAtStart.forEach((type, bytes) -> growth.merge(type, -bytes, Long::sum));
        this.growth = growth.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8).toList();
    }

    /** @param attackerOutput what {@link AttackersMain} printed: its table rows and its CPU */
    void attacks(List<String> attackerOutput) {
        for (String line : attackerOutput) {
            if (line.startsWith(AttackersMain.ROW)) {
                attackRows.add(line.substring(AttackersMain.ROW.length()));
            } else if (line.startsWith(AttackersMain.CPU)) {
                attackerCores = Double.parseDouble(line.substring(AttackersMain.CPU.length()));
            }
        }
    }

    /** The scheduler's output while under attack. */
    void log(List<String> lines) {
        this.log = lines;
    }

    void tasks(long submitted, long completed, long succeeded) {
        this.submitted = submitted;
        this.completed = completed;
        this.succeeded = succeeded;
    }

    void print() {
        System.out.printf("Real traffic: `task.submit`, one task per request, at %,.0f tasks/s (%.0f%% of the %,.0f tasks/s"
                + " the cluster finished in a burst after the warm-up), open loop; latency from each submission's"
                + " intended send time to its final event over `task.watch`.%n%n", rate, rate / burstRate * 100, burstRate);
        System.out.println("Latency of the real tasks in ms: median over the windows of each window's percentile"
                + " (min–max); CPU in cores (the client is the soak's own JVM: real traffic and its measurement).");
        System.out.println();
        System.out.println("| phase | windows | tasks | p50 | p99 | p99.9 | scheduler CPU | client CPU |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        phases.forEach((name, phase) -> System.out.printf("| %s | %d | %,d | %s | %s | %s | %.2f | %.2f |%n", name,
                phase.windows(), phase.tasks(), phase.percentile(0).format("%.1f"), phase.percentile(1).format("%.1f"),
                phase.percentile(2).format("%.1f"), Stats.of(phase.schedulerCores).median(),
                Stats.of(phase.ownCores).median()));
        System.out.println();
        System.out.println("Memory of the scheduler (`-Xmx" + SoakMain.SCHEDULER_HEAP + " "
                + String.join(" ", schedulerJvm) + "`; the chart's 768 MiB pod gives `-Xmx"
                + SoakMain.SCHEDULER_HEAP + " "
                + String.join(" ", SoakMain.SCHEDULER_JVM) + "`), MiB. Live heap after a"
                + " full collection at the start and the end; heap in use (garbage included) for the peak, read"
                + " every 5 s.");
        System.out.println();
        System.out.println("| | start (after the quiet phase) | peak under attack | end (after the attacks) | end / start |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        memoryRow("heap", start.heap(), peak.heap(), end.heap());
        memoryRow("direct buffers", start.direct(), peak.direct(), end.direct());
        memoryRow("of them in use (Netty's pool keeps the rest for reuse)", start.directInUse(), peak.directInUse(),
                end.directInUse());
        memoryRow("heap committed", start.committed(), peak.committed(), end.committed());
        memoryRow("resident set (RSS)", start.resident(), peak.resident(), end.resident());
        System.out.println();
        System.out.println("Live heap that grew most from the start to the end, KiB: " + growth.stream()
                .map(type -> String.format("%s %+,.0f", type.getKey(), type.getValue() / 1024.0))
                .collect(Collectors.joining(", ")) + ".");
        System.out.println();
        System.out.printf("The attackers, in a JVM of their own on the same cores, used %.2f cores on average.%n%n",
                attackerCores);
        System.out.println("| attack | from | what | answers and events, over the attack |");
        System.out.println("| --- | --- | --- | --- |");
        attackRows.forEach(System.out::println);
        System.out.println();
        long stackLines = log.stream().filter(line -> line.startsWith("\tat ")).count();
        long bytes = log.stream().mapToLong(line -> line.length() + 1).sum();
        System.out.printf("The scheduler's log under attack (level WARN): %,d lines, %,.0f KiB, %,d lines of stack traces.%n",
                log.size(), bytes / 1024.0, stackLines);
        log.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).map(SoakReport::message)
                .collect(Collectors.groupingBy(message -> message, LinkedHashMap::new, Collectors.counting()))
                .forEach((message, count) -> System.out.printf("- %,d × %s%n", count, message));
        System.out.println();
        System.out.printf("Real tasks: %,d submitted, %,d finished, %,d succeeded.%n%n", submitted, completed, succeeded);

        double ratio = phases.get("under attack").percentile(1).median() / phases.get("quiet").percentile(1).median();
        double memoryRatio = Math.max(end.heap() / start.heap(), Math.max(end.direct() / Math.max(1, start.direct()),
                end.resident() / start.resident()));
        System.out.println("| goal | measured | met |");
        System.out.println("| --- | ---: | --- |");
        System.out.printf("| real p99 under attack ≤ 2× quiet | %.2f× | %s |%n", ratio, ratio <= 2 ? "yes" : "**no**");
        System.out.printf("| memory at the end within 10%% of the start (largest of heap, direct, RSS) | %.2f× | %s |%n",
                memoryRatio, memoryRatio <= 1.10 ? "yes" : "**no**");
        System.out.printf("| peak RSS under the chart's pod limit (768 MiB) | %,.0f MiB | %s |%n", peak.resident() / MIB,
                peak.resident() < SoakMain.POD_LIMIT_BYTES ? "yes" : "**no**");
        System.out.printf("| no real task lost or failed | %,d of %,d succeeded | %s |%n", succeeded, submitted,
                succeeded == submitted && completed == submitted ? "yes" : "**no**");
    }

    private static void memoryRow(String name, double start, double peak, double end) {
        System.out.printf("| %s | %,.1f | %,.1f | %,.1f | %.2f |%n", name, start / MIB, peak / MIB, end / MIB,
                end / Math.max(1, start));
    }

    /** @return the kind of a log line: its message up to the first colon, digits as N, so that one kind groups */
    private static String message(String line) {
        int logger = line.indexOf(" : ");
        String text = logger < 0 ? line : line.substring(logger + 3);
        int colon = text.indexOf(": ");
        return (colon < 0 ? text : text.substring(0, colon)).replaceAll("\\d+", "N");
    }

    /** The windows of one phase. */
    static final class Phase {

        private final List<List<Double>> percentiles = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        private final List<Double> schedulerCores = new ArrayList<>();
        private final List<Double> ownCores = new ArrayList<>();
        private long tasks;

        void add(Histogram latencies, double schedulerCores, double ownCores) {
            percentiles.get(0).add(latencies.getValueAtPercentile(50) / 1e6);
            percentiles.get(1).add(latencies.getValueAtPercentile(99) / 1e6);
            percentiles.get(2).add(latencies.getValueAtPercentile(99.9) / 1e6);
            this.schedulerCores.add(schedulerCores);
            this.ownCores.add(ownCores);
            tasks += latencies.getTotalCount();
        }

        /** @param which 0 for p50, 1 for p99, 2 for p99.9 */
        Stats percentile(int which) {
            return Stats.of(percentiles.get(which));
        }

        int windows() {
            return schedulerCores.size();
        }

        long tasks() {
            return tasks;
        }
    }
}
