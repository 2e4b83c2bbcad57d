package io.taskwire.bench.schedule;

import io.taskwire.bench.Stats;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Prints comparison 7 as Markdown tables, with the targets. */
record ScheduleReport(int tasks, Duration cpuWindow, List<ScheduleReport.Figures> stores) {

    private static final double IDLE_TARGET_MILLIS = 50;
    private static final double LOADED_TARGET_MILLIS = 250;
    private static final int GROWTH_ROWS = 12;

    /**
     * What one scheduler, on one store, measured.
     *
     * @param store the store's label
     * @param baseline lags of the tasks submitted at one instant, from the send to their PENDING event
     * @param baselineDone seconds from the send until all of them succeeded
     * @param fired lags of the tasks the schedules due at one second fired, from the fire time to their PENDING event
     * @param firedDone seconds from the fire time until all of them succeeded
     * @param ownLagMillis the scheduler's own {@code taskwire.schedule.fire.lag} over those fires, mean, in ms
     * @param commits the store's commits over those fires, described
     * @param baselineDispatches how the baseline's tasks went to the workers, described
     * @param firedDispatches how the fired tasks went to the workers, described
     * @param putsPerSecond {@code schedule.put} calls answered per second
     * @param heapBefore live heap before the schedules were put, in bytes
     * @param heapWith live heap with all of them held, in bytes
     * @param growth bytes of live objects by class, with the schedules less before
     * @param cpuNone the scheduler's CPU, in cores, with no schedule
     * @param cpuHeld the same with all of them held, none due
     * @param idle the schedule firing every second, the scheduler otherwise idle; null when not measured
     * @param loaded the same under per-task submissions at half the measured throughput; null when not measured
     * @param throughput per-task tasks/s of this cluster, over the rounds; null when not measured
     * @param loadRate the submissions' rate while {@code loaded} was measured, tasks/s
     * @param loadP99 the submissions' own submit-to-finish p99 meanwhile, in ms
     */
    record Figures(String store, Lags baseline, double baselineDone, Lags fired, double firedDone, double ownLagMillis,
                   String commits, String baselineDispatches, String firedDispatches, double putsPerSecond,
                   long heapBefore, long heapWith, Map<String, Long> growth, Stats cpuNone, Stats cpuHeld, Lags idle,
                   Lags loaded, Stats throughput, double loadRate, double loadP99) {

        double heapPerSchedule(int schedules) {
            return (heapWith - heapBefore) / (double) schedules;
        }
    }

    void print() {
        System.out.printf("## 7. Schedules: %,d due at the same second, and one every second%n%n", tasks);
        System.out.printf("Lag in ms from an instant to each task's PENDING event on `task.watch` (its `at`, stamped on the"
                + " scheduler's clock once the task's creation is committed and published), %,d tasks each; \"all"
                + " created\" is the last of them (the max), \"all succeeded\" when the last one's result was seen.%n%n", tasks);
        System.out.println("| store | tasks | p50 | p99 | all created | all succeeded, s | p50 vs baseline | p99 vs baseline |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Figures store : stores) {
            Lags base = store.baseline();
            System.out.printf("| %s | submitted at one instant (%d `task.submit.batch` of %,d), from the send | %s | %s |"
                    + " %s | %.2f | 1.00× | 1.00× |%n", store.store(), (tasks + ScheduleBenchmark.SUBMISSION - 1)
                    / ScheduleBenchmark.SUBMISSION, Math.min(tasks, ScheduleBenchmark.SUBMISSION), ms(base.p50()),
                    ms(base.p99()), ms(base.max()), store.baselineDone());
            Lags fired = store.fired();
            System.out.printf("| %s | fired by %,d schedules due at the same second (6-field cron), from the fire time |"
                    + " %s | %s | %s | %.2f | %.2f× | %.2f× |%n", store.store(), tasks, ms(fired.p50()), ms(fired.p99()),
                    ms(fired.max()), store.firedDone(), fired.p50() / base.p50(), fired.p99() / base.p99());
        }
        System.out.println();
        for (Figures store : stores) {
            System.out.printf("%s: the baseline's tasks went to the workers in %s; the fired ones in %s. Over the fire"
                    + " (creations, dispatches and results): %s; the scheduler's own `taskwire.schedule.fire.lag` (from"
                    + " due to the task handed to the store), mean %.1f ms.%n%n", store.store(), store.baselineDispatches(),
                    store.firedDispatches(), store.commits(), store.ownLagMillis());
        }

        List<Figures> ticking = stores.stream().filter(store -> store.idle() != null).toList();
        if (!ticking.isEmpty()) {
            int fires = ticking.get(0).idle().count();
            System.out.printf("One schedule firing every second (`everyMs: 1000`, overlap `ALLOW`), lag in ms from each fire"
                    + " time to its task's PENDING event, %d fires.%n%n", fires);
            System.out.println("| store | load | p50 | p99 | max | target, p99 | met |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: | --- |");
            for (Figures store : ticking) {
                Lags idle = store.idle();
                System.out.printf("| %s | none | %s | %s | %s | ≤ %.0f | %s |%n", store.store(), ms(idle.p50()), ms(idle.p99()),
                        ms(idle.max()), IDLE_TARGET_MILLIS, met(idle.p99() <= IDLE_TARGET_MILLIS));
                Lags loaded = store.loaded();
                System.out.printf("| %s | `task.submit` per task at %,.0f tasks/s, half of the %s measured | %s | %s | %s |"
                        + " ≤ %.0f | %s |%n", store.store(), store.loadRate(), store.throughput().format("%,.0f"),
                        ms(loaded.p50()), ms(loaded.p99()), ms(loaded.max()), LOADED_TARGET_MILLIS,
                        met(loaded.p99() <= LOADED_TARGET_MILLIS));
            }
            System.out.println();
            for (Figures store : ticking) {
                System.out.printf("%s: the submissions' own submit-to-finish p99 at that load, open loop: %s ms.%n%n",
                        store.store(), ms(store.loadP99()));
            }
        }

        System.out.printf("Live heap (the sum of `jcmd GC.class_histogram`, which collects first) before the schedules were"
                + " put and with %,d held, not yet due; the scheduler's CPU in %% of one core over %d s windows, median of"
                + " the windows (min–max), with no schedule and with %,d held, none due.%n%n", tasks, cpuWindow.toSeconds(),
                tasks);
        System.out.printf("| store | `schedule.put`/s, 64 in flight | heap, no schedules | heap, %,d schedules | per schedule |"
                + " CPU, no schedules | CPU, %,d held |%n", tasks, tasks);
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Figures store : stores) {
            System.out.printf("| %s | %,.0f | %.1f MiB | %.1f MiB | %,.0f bytes | %s | %s |%n", store.store(),
                    store.putsPerSecond(), mib(store.heapBefore()), mib(store.heapWith()), store.heapPerSchedule(tasks),
                    percent(store.cpuNone()), percent(store.cpuHeld()));
        }
        System.out.println();
        stores.forEach(this::printGrowth);

        System.out.println("Targets:\n");
        System.out.println("| target | measured | met |");
        System.out.println("| --- | ---: | --- |");
        for (Figures store : ticking) {
            System.out.printf("| %s: one schedule every second, the scheduler idle: p99 ≤ 50 ms | %s ms | %s |%n",
                    store.store(), ms(store.idle().p99()), met(store.idle().p99() <= IDLE_TARGET_MILLIS));
            System.out.printf("| %s: the same at half the per-task load: p99 ≤ 250 ms | %s ms | %s |%n",
                    store.store(), ms(store.loaded().p99()), met(store.loaded().p99() <= LOADED_TARGET_MILLIS));
        }
        System.out.println();
    }

    private void printGrowth(Figures store) {
        long total = store.growth().values().stream().mapToLong(Long::longValue).sum();
        List<Map.Entry<String, Long>> largest = store.growth().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(GROWTH_ROWS).toList();
        System.out.printf("Where the heap per schedule goes, %s (`jcmd GC.class_histogram`, %,d schedules less none; the %d"
                + " largest classes, %.0f%% of the growth):%n%n", store.store(), tasks, GROWTH_ROWS,
                100.0 * largest.stream().mapToLong(Map.Entry::getValue).sum() / total);
        System.out.println("| class | bytes per schedule |");
        System.out.println("| --- | ---: |");
        for (Map.Entry<String, Long> row : largest) {
            System.out.printf("| `%s` | %,.0f |%n", row.getKey(), row.getValue() / (double) tasks);
        }
        System.out.println();
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String ms(double millis) {
        return String.format(millis >= 100 ? "%,.0f" : "%.1f", millis);
    }

    private static String percent(Stats cores) {
        return String.format("%.2f%% (%.2f–%.2f)", cores.median() * 100, cores.min() * 100, cores.max() * 100);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
