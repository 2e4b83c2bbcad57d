package io.taskwire.bench.idle;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Prints comparison 5 as Markdown tables, with the target. */
record IdleWorkersReport(int workers, Duration heartbeat, Duration cpuWindow, List<Footprint> servers) {

    private static final double TARGET_BYTES = 32 * 1024;
    private static final int GROWTH_ROWS = 15;

    void print() {
        System.out.printf("## 5. Scheduler heap and CPU per idle worker, %,d simulated workers, a heartbeat every %d s%n%n",
                workers, heartbeat.toSeconds());
        System.out.println("Live heap (the sum of `jcmd GC.class_histogram`, which collects first), per worker: from"
                + " none to all of them, and from half to all (what each further worker adds).\n");
        System.out.printf("| server | heap, no workers | heap, %,d workers | per worker | per further worker |%n", workers);
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Footprint server : servers) {
            System.out.printf("| %s | %.1f MiB | %.1f MiB | %.1f KiB | %.1f KiB |%n", server.name(), mib(server.heapNone()),
                    mib(server.heapAll()), server.heapPerWorker(workers) / 1024,
                    server.marginalHeapPerWorker(workers) / 1024);
        }
        System.out.printf("%nCPU of the server process, in %% of one core, over %d s windows; median of the rounds"
                + " (min–max).%n%n", cpuWindow.toSeconds());
        System.out.printf("| server | no workers | %,d workers | per heartbeat |%n", workers);
        System.out.println("| --- | ---: | ---: | ---: |");
        double heartbeatsPerSecond = workers / (double) heartbeat.toSeconds();
        for (Footprint server : servers) {
            double perHeartbeatMicros = (server.cpuAll().median() - server.cpuNone().median()) / heartbeatsPerSecond * 1e6;
            System.out.printf("| %s | %s | %s | %.0f µs |%n", server.name(), percent(server, true), percent(server, false),
                    perHeartbeatMicros);
        }
        Footprint taskwire = servers.get(0);
        Footprint bare = servers.get(1);
        double perWorker = taskwire.heapPerWorker(workers);
        System.out.printf("%nTarget: at most 32 KiB of scheduler heap per idle worker: %.1f KiB, %s; a bare rsocket-java"
                + " connection costs %.1f KiB of it, the scheduler's registry, breaker and meters %.1f KiB.%n%n",
                perWorker / 1024, perWorker <= TARGET_BYTES ? "met" : "**missed**",
                bare.heapPerWorker(workers) / 1024, (perWorker - bare.heapPerWorker(workers)) / 1024);
        servers.forEach(this::printGrowth);
    }

    /** The profile behind the heap figure: which classes the workers' objects are. */
    private void printGrowth(Footprint server) {
        System.out.printf("Where %s's heap per worker goes (`jcmd GC.class_histogram`, %,d workers less none; the %d"
                + " largest classes, %.0f%% of the growth):%n%n", server.name(), workers, GROWTH_ROWS,
                100.0 * server.largestGrowth(GROWTH_ROWS).stream().mapToLong(Map.Entry::getValue).sum()
                        / server.growth().values().stream().mapToLong(Long::longValue).sum());
        System.out.println("| class | bytes per worker |");
        System.out.println("| --- | ---: |");
        for (Map.Entry<String, Long> row : server.largestGrowth(GROWTH_ROWS)) {
            System.out.printf("| `%s` | %,.0f |%n", row.getKey(), row.getValue() / (double) workers);
        }
        System.out.println();
    }

    private static String percent(Footprint server, boolean none) {
        var stats = none ? server.cpuNone() : server.cpuAll();
        return String.format("%.1f%% (%.1f–%.1f)", stats.median() * 100, stats.min() * 100, stats.max() * 100);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
