package io.taskwire.bench.cluster;

import io.taskwire.bench.Payloads;
import io.taskwire.bench.Stats;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.core.publisher.Flux;

/**
 * Comparison 3's per-task throughput, measured on a cluster that another comparison runs against,
 * so that its "half load" means the same: bursts of {@code task.submit} ({@value #IN_FLIGHT}
 * outstanding, type {@code echo}), each timed from its first submission until the scheduler's
 * {@code taskwire.tasks.completed} counts all of them.
 */
public final class PerTaskBursts {

    private static final int IN_FLIGHT = 128;

    private final SchedulerProcess scheduler;
    private final SchedulerClient client;
    private final Duration limit;

    public PerTaskBursts(SchedulerProcess scheduler, SchedulerClient client, Duration limit) {
        this.scheduler = scheduler;
        this.client = client;
        this.limit = limit;
    }

    /**
     * A burst of 2,000 tasks sizes the rest to what one burst does in {@code window}.
     *
     * @return tasks finished per second in each of {@code rounds} bursts
     */
    public Stats measure(int rounds, Duration window) {
        double rate = burst(2_000);
        int size = Math.max(1_000, (int) Math.round(rate * window.toMillis() / 1_000));
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            rates.add(burst(size));
        }
        return Stats.of(rates);
    }

    /** @return tasks finished per second in one burst of {@code count} */
    public double burst(int count) {
        long target = completed() + count;
        long start = System.nanoTime();
        Flux.range(0, count).flatMap(i -> client.submit(TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(i))), IN_FLIGHT)
                .then().block(limit);
        awaitCompleted(target);
        return count * 1e9 / (System.nanoTime() - start);
    }

    private long completed() {
        return Math.round(scheduler.meter("taskwire.tasks.completed"));
    }

    private void awaitCompleted(long target) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (completed() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tasks did not finish within " + limit);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long unsuccessful = target - Math.round(scheduler.meter("taskwire.tasks.completed", "status:succeeded"));
        if (unsuccessful > 0) {
            throw new IllegalStateException(unsuccessful + " tasks did not succeed");
        }
    }
}
