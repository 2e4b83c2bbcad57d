package io.taskwire.bench.cluster;

import io.taskwire.bench.Payloads;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Submits at a fixed rate whatever the scheduler does, and records each task's latency from the
 * time its submission was meant to be sent to the time its final event reached the client over
 * {@code task.watch}, so that a stall counts against every task it delayed. A task that ends other
 * than SUCCEEDED, a submission that fails, or a task not seen to finish within the drain time fails
 * the window.
 */
public final class OpenLoop {

    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final String name;
    private final SchedulerClient client;
    private final Supplier<Mono<List<TaskView>>> unit;
    private final int unitSize;
    private final Duration drain;

    /**
     * @param name for messages
     * @param client the connection whose {@code task.watch} sees the tasks finish
     * @param unit one submission (of one task or a batch), answered with the tasks' views
     * @param unitSize tasks per submission
     * @param drain how long the tasks of a window may take to finish once its last one is sent
     */
    public OpenLoop(String name, SchedulerClient client, Supplier<Mono<List<TaskView>>> unit, int unitSize,
                    Duration drain) {
        this.name = name;
        this.client = client;
        this.unit = unit;
        this.unitSize = unitSize;
        this.drain = drain;
    }

    /**
     * @param tasksPerSecond the submission rate, in tasks
     * @param window how long to submit
     * @return the latencies of every task submitted in the window, in ns
     * @throws IllegalStateException if a task failed, a submission failed, or tasks did not finish in time
     */
    public Histogram run(double tasksPerSecond, Duration window) {
        Finishes finishes = new Finishes();
        Disposable watch = client.watch(new WatchFilter(null, Payloads.TASK_TYPE)).subscribe(finishes::event);
        try {
            // the watch is open once a task submitted now is seen to finish; submitted over the watch's
            // own connection, so that it cannot overtake the watch (the unit may use another connection)
            long probedAt = System.nanoTime();
            client.submit(TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(0))).map(List::of)
                    .subscribe(views -> finishes.accepted(views, probedAt), finishes::submissionFailed);
            awaitRecorded(finishes, 1);
            finishes.reset();
            long interval = (long) (1e9 * unitSize / tasksPerSecond);
            long start = System.nanoTime();
            long end = start + window.toNanos();
            long submitted = 0;
            for (long intended = start; intended < end; intended += interval) {
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                submit(finishes, intended);
                submitted += unitSize;
            }
            awaitRecorded(finishes, submitted);
            return finishes.histogram();
        } finally {
            watch.dispose();
        }
    }

    private void submit(Finishes finishes, long intended) {
        unit.get().subscribe(views -> finishes.accepted(views, intended), finishes::submissionFailed);
    }

    private void awaitRecorded(Finishes finishes, long tasks) {
        long deadline = System.nanoTime() + drain.toNanos();
        while (finishes.recorded() < tasks) {
            finishes.check(name);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + finishes.recorded() + " of " + tasks
                        + " tasks seen finished within " + drain);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        finishes.check(name);
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
        private volatile String failure;

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
                failure = "task " + event.taskId() + " ended " + event.status() + ": " + json;
                return;
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

        void submissionFailed(Throwable error) {
            failure = "a submission failed: " + error;
        }

        void check(String name) {
            if (failure != null) {
                throw new IllegalStateException(name + ": " + failure);
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
