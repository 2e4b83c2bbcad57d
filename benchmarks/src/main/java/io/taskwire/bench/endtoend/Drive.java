package io.taskwire.bench.endtoend;

import io.taskwire.bench.Payloads;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Loads one {@link Cluster}: bursts for throughput, a fixed submission rate for latency. */
final class Drive {

    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);
    /** Submissions outstanding at once: enough to keep the scheduler busy, not a deep client-side queue. */
    private static final int PER_TASK_IN_FLIGHT = 128;
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final com.sun.management.OperatingSystemMXBean CLIENT_CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Drive() {
    }

    /**
     * Submits {@code tasks} tasks as fast as the scheduler accepts them and waits until all have
     * reached a final state, as the scheduler's {@code taskwire.tasks.completed} counts them.
     *
     * @return tasks finished per second, from the first submission to the last completion, and the
     *         CPU each process spent per task meanwhile
     */
    static Burst burst(Cluster cluster, int tasks) {
        Variant variant = cluster.variant();
        int units = tasks / variant.batchSize();
        long target = cluster.completed() + (long) units * variant.batchSize();
        Duration schedulerBefore = cluster.schedulerCpu();
        Duration workersBefore = cluster.workersCpu();
        long clientBefore = CLIENT_CPU.getProcessCpuTime();
        long start = System.nanoTime();
        Flux.range(0, units)
                .flatMap(unit -> cluster.submitUnit(), variant.perTask() ? PER_TASK_IN_FLIGHT : BATCHES_IN_FLIGHT)
                .then()
                .block(EndToEndBenchmark.drainTimeout());
        long deadline = start + EndToEndBenchmark.drainTimeout().toNanos();
        while (cluster.completed() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(variant.name() + ": tasks did not finish within "
                        + EndToEndBenchmark.drainTimeout());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long elapsed = System.nanoTime() - start;
        double done = (double) units * variant.batchSize();
        Burst burst = new Burst(done * 1e9 / elapsed,
                micros(cluster.schedulerCpu().minus(schedulerBefore)) / done,
                micros(cluster.workersCpu().minus(workersBefore)) / done,
                (CLIENT_CPU.getProcessCpuTime() - clientBefore) / 1e3 / done);
        long unsuccessful = cluster.unsuccessful();
        if (unsuccessful > 0) {
            throw new IllegalStateException(variant.name() + ": " + unsuccessful + " tasks did not succeed");
        }
        return burst;
    }

    private static double micros(Duration duration) {
        return duration.toNanos() / 1e3;
    }

    /**
     * One burst.
     *
     * @param rate tasks finished per second
     * @param schedulerMicros CPU of the scheduler's process per task, in µs
     * @param workersMicros CPU of both workers' processes per task, in µs
     * @param clientMicros CPU of this process (the client) per task, in µs
     */
    record Burst(double rate, double schedulerMicros, double workersMicros, double clientMicros) {
    }

    /**
     * Submits at a fixed rate whatever the scheduler does, and records each task's latency from
     * the time its submission was meant to be sent to the time its final event reached the client
     * over {@code task.watch}, so that a stall counts against every task it delayed.
     */
    static Histogram openLoop(Cluster cluster, double tasksPerSecond, Duration window) {
        Variant variant = cluster.variant();
        Finishes finishes = new Finishes();
        Disposable watch = cluster.client().watch(new WatchFilter(null, Payloads.TASK_TYPE)).subscribe(finishes::event);
        try {
            // the watch is open once a task submitted now is seen to finish
            submit(cluster, finishes, System.nanoTime());
            awaitRecorded(finishes, variant.batchSize(), variant);
            finishes.reset();
            long interval = (long) (1e9 * variant.batchSize() / tasksPerSecond);
            long start = System.nanoTime();
            long end = start + window.toNanos();
            long submitted = 0;
            for (long intended = start; intended < end; intended += interval) {
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                submit(cluster, finishes, intended);
                submitted += variant.batchSize();
            }
            awaitRecorded(finishes, submitted, variant);
            return finishes.histogram();
        } finally {
            watch.dispose();
        }
    }

    private static void submit(Cluster cluster, Finishes finishes, long intended) {
        cluster.submitUnit().subscribe(views -> finishes.accepted(views, intended),
                failure -> System.err.println(cluster.variant().name() + ": a submission failed: " + failure));
    }

    private static void awaitRecorded(Finishes finishes, long tasks, Variant variant) {
        long deadline = System.nanoTime() + EndToEndBenchmark.drainTimeout().toNanos();
        while (finishes.recorded() < tasks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(variant.name() + ": " + finishes.recorded() + " of " + tasks
                        + " tasks seen finished within " + EndToEndBenchmark.drainTimeout());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Matches acceptances with final events. A fast worker may finish a task before its
     * submission is answered, so either may come first.
     */
    private static final class Finishes {

        private static final List<String> FINAL = Arrays.stream(TaskStatus.values()).filter(TaskStatus::isFinal)
                .map(status -> "\"" + status.name() + "\"").toList();

        private final Map<String, Long> sentAt = new HashMap<>();
        private final Map<String, Long> finishedAt = new HashMap<>();
        private final Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
        private final AtomicLong recorded = new AtomicLong();

        synchronized void accepted(List<TaskView> views, long intended) {
            for (TaskView view : views) {
                Long finished = finishedAt.remove(view.taskId());
                if (finished == null) {
                    sentAt.put(view.taskId(), intended);
                } else {
                    record(finished - intended);
                }
            }
        }

        void event(String json) {
            long now = System.nanoTime();
            if (FINAL.stream().noneMatch(json::contains)) {
                return;
            }
            TaskEvent event = Json.read(json.getBytes(StandardCharsets.UTF_8), TaskEvent.class);
            if (event.status() != TaskStatus.SUCCEEDED) {
                throw new IllegalStateException("task " + event.taskId() + " ended " + event.status());
            }
            synchronized (this) {
                Long intended = sentAt.remove(event.taskId());
                if (intended == null) {
                    finishedAt.put(event.taskId(), now);
                } else {
                    record(now - intended);
                }
            }
        }

        private void record(long nanos) {
            histogram.recordValue(Math.min(nanos, MAX_LATENCY_NANOS));
            recorded.incrementAndGet();
        }

        long recorded() {
            return recorded.get();
        }

        synchronized void reset() {
            histogram.reset();
            recorded.set(0);
            sentAt.clear();
            finishedAt.clear();
        }

        synchronized Histogram histogram() {
            return histogram.copy();
        }
    }
}
