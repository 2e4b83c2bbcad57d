package io.taskwire.bench.restart;

import io.taskwire.bench.LoadGenerator;
import io.taskwire.bench.Payloads;
import io.taskwire.bench.Progress;
import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.bench.cluster.SchedulerProcess;
import io.taskwire.bench.cluster.Store;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Comparison 6: a scheduler restarted on a store holding {@value #TASKS} unfinished tasks, against
 * the same restart on an empty store. The tasks are submitted to a scheduler without workers, which
 * is then stopped; a worker is started, dialing the scheduler's port until it answers; the
 * scheduler is started again on the same store. Timed from the new scheduler's JVM start: ready,
 * its first dispatch, and all tasks done.
 */
public final class RestartBenchmark {

    static final int TASKS = 100_000;
    /** Tasks per {@code task.submit.batch}: about 200 KB of specs, within the 1 MiB request limit. */
    private static final int SUBMISSION = 1_000;
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final Map<String, Times> results = new LinkedHashMap<>();

    /** Each store empty first, the baseline: how long the same scheduler takes to start with nothing to load. */
    public void run() {
        for (Store store : List.of(Store.H2, Store.POSTGRESQL)) {
            results.put(store.label() + ", empty", measure(store, "empty", 0));
            results.put(store.label() + ", " + String.format("%,d", TASKS) + " unfinished", measure(store, "full", TASKS));
        }
        print();
    }

    private Times measure(Store store, String what, int tasks) {
        String name = store.name().toLowerCase(java.util.Locale.ROOT) + "-" + what;
        List<String> settings = new ArrayList<>(store.schedulerSettings("restart-" + name));
        settings.add("--taskwire.scheduler.tasks.declared-types=" + Payloads.TASK_TYPE);
        SchedulerProcess first = new SchedulerProcess("restart-" + name + "-1", "1g", settings);
        JavaProcess worker = null;
        SchedulerProcess second = null;
        try {
            first.awaitReady(LIMIT);
            try (SchedulerClient client = SchedulerClient.connect(first.rsocketPort(), first.clientToken())) {
                for (int submitted = 0; submitted < tasks; submitted += SUBMISSION) {
                    List<TaskSpec> specs = new ArrayList<>(SUBMISSION);
                    for (int i = 0; i < SUBMISSION; i++) {
                        specs.add(TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(submitted + i)));
                    }
                    client.submitBatch(specs).block(LIMIT);
                }
            }
            progress("%s: %,d tasks stored, no worker; stopping the scheduler", name, tasks);
            first.close();
            worker = first.startWorker("restart-" + name + "-worker", 1_024);
            long start = System.nanoTime();
            second = first.restart("restart-" + name + "-2", "1g", settings);
            SchedulerProcess restarted = second;
            double ready = secondsUntil(start, () -> restarted.ready() ? 1 : 0, 1);
            double dispatching = tasks == 0 ? Double.NaN
                    : secondsUntil(start, () -> restarted.meter("taskwire.tasks.dispatched"), 1);
            double done = tasks == 0 ? Double.NaN
                    : secondsUntil(start, () -> restarted.meter("taskwire.tasks.completed"), tasks);
            Times times = new Times(ready, dispatching, done);
            progress("%s: ready %.1f s, first dispatch %.1f s, all done %.1f s after the JVM started", name, ready,
                    dispatching, done);
            return times;
        } finally {
            if (second != null) {
                second.close();
            }
            if (worker != null) {
                worker.close();
            }
            first.close();
        }
    }

    /** @return seconds from {@code start} until the figure reaches {@code atLeast}, polled every 50 ms */
    private static double secondsUntil(long start, DoubleSupplier figure, double atLeast) {
        long until = start + LIMIT.toNanos();
        while (System.nanoTime() < until) {
            try {
                if (figure.getAsDouble() >= atLeast) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            LoadGenerator.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("not reached within " + LIMIT);
    }

    private void print() {
        System.out.printf("## 6. A restart with %,d unfinished tasks in the store%n%n", TASKS);
        System.out.println("Seconds from the restarted scheduler's JVM start (one worker already dialing its port, 1,024"
                + " slots, the built-in echo handler), one run per store.\n");
        System.out.println("| store | ready | first task dispatched | all tasks done |");
        System.out.println("| --- | ---: | ---: | ---: |");
        results.forEach((store, times) -> System.out.printf("| %s | %.1f | %s | %s |%n", store, times.ready(),
                seconds(times.firstDispatch()), seconds(times.allDone())));
        System.out.println();
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "—" : String.format("%.1f", value);
    }

    private static void progress(String format, Object... args) {
        Progress.log("restart", format, args);
    }

    private record Times(double ready, double firstDispatch, double allDone) {
    }
}
