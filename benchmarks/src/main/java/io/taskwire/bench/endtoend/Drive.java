package io.taskwire.bench.endtoend;

import io.taskwire.bench.cluster.OpenLoop;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;

/** Loads one {@link Cluster}: bursts for throughput, a fixed submission rate for latency. */
final class Drive {

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
        Duration storeBefore = variant.store().serverCpu();
        Duration standbyBefore = cluster.standbyCpu();
        long clientBefore = CLIENT_CPU.getProcessCpuTime();
        long allocatedBefore = ClientCosts.allocatedBytes();
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
        long allocated = ClientCosts.allocatedBytes() - allocatedBefore;
        double done = (double) units * variant.batchSize();
        Burst burst = new Burst(done * 1e9 / elapsed,
                micros(cluster.schedulerCpu().minus(schedulerBefore)) / done,
                micros(cluster.workersCpu().minus(workersBefore)) / done,
                (CLIENT_CPU.getProcessCpuTime() - clientBefore) / 1e3 / done,
                micros(variant.store().serverCpu().minus(storeBefore)) / done,
                micros(cluster.standbyCpu().minus(standbyBefore)) / done, allocated / done);
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
     * @param storeMicros CPU of the database server's processes per task, in µs (PostgreSQL; zero for
     *        the stores in the scheduler's JVM)
     * @param standbyMicros CPU of the standby scheduler's process per task, in µs (zero without one)
     * @param clientBytes bytes this JVM (the client) allocated per task
     */
    record Burst(double rate, double schedulerMicros, double workersMicros, double clientMicros, double storeMicros,
                 double standbyMicros, double clientBytes) {
    }

    /**
     * Submits at a fixed rate for the window ({@link OpenLoop}).
     *
     * @return the latencies of the window's tasks, in ns
     */
    static Histogram openLoop(Cluster cluster, double tasksPerSecond, Duration window) {
        Variant variant = cluster.variant();
        return new OpenLoop(variant.name(), cluster.client(), cluster::submitUnit, variant.batchSize(),
                EndToEndBenchmark.drainTimeout()).run(tasksPerSecond, window);
    }
}
