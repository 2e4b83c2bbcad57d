package io.taskwire.bench.schedule;

import io.taskwire.bench.LoadGenerator;
import io.taskwire.bench.Payloads;
import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.WatchFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;

/**
 * The tasks of one type as {@code task.watch} shows them: for each, the {@code at} of its PENDING
 * event, which the scheduler stamps on its own clock once the task's creation is committed and
 * published; and how many reached SUCCEEDED. A task that ends otherwise fails the measurement.
 */
final class Arrivals implements AutoCloseable {

    private static final String PENDING = "\"" + TaskStatus.PENDING.name() + "\"";
    private static final String SUCCEEDED = "\"" + TaskStatus.SUCCEEDED.name() + "\"";
    private static final String DISPATCHED = "\"" + TaskStatus.DISPATCHED.name() + "\"";

    private final String type;
    private final Map<String, Instant> created = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final Disposable watch;
    private volatile String failure;

    private Arrivals(SchedulerClient client, String type) {
        this.type = type;
        this.watch = client.watch(new WatchFilter(null, type)).subscribe(this::event,
                error -> failure = "the watch of " + type + " ended: " + error);
    }

    /**
     * Watches the type, and returns once the watch is seen to work: a task of the type submitted
     * after subscribing has been seen created and finished; it is then forgotten.
     */
    static Arrivals open(SchedulerClient client, String type) {
        Arrivals arrivals = new Arrivals(client, type);
        client.submit(TaskSpec.of(type, Payloads.payload(0))).block(Duration.ofSeconds(30));
        arrivals.awaitCreated(1, Duration.ofSeconds(30));
        arrivals.awaitSucceeded(1, Duration.ofSeconds(30));
        arrivals.reset();
        return arrivals;
    }

    private void event(String json) {
        if (json.contains(PENDING)) {
            TaskEvent event = Json.read(json.getBytes(StandardCharsets.UTF_8), TaskEvent.class);
            // a task that goes back to PENDING (refused by a worker) keeps its first creation
            created.putIfAbsent(event.taskId(), event.at());
        } else if (json.contains(SUCCEEDED)) {
            succeeded.incrementAndGet();
        } else if (!json.contains(DISPATCHED)) {
            TaskEvent event = Json.read(json.getBytes(StandardCharsets.UTF_8), TaskEvent.class);
            if (event.status().isFinal()) {
                failure = "task " + event.taskId() + " of type " + type + " ended " + event.status();
            }
        }
    }

    /** Waits until {@code tasks} tasks have been seen created. */
    void awaitCreated(int tasks, Duration within) {
        await(tasks, within, "created", () -> created.size());
    }

    /** Waits until {@code tasks} tasks have been seen to succeed. */
    void awaitSucceeded(int tasks, Duration within) {
        await(tasks, within, "succeeded", succeeded::get);
    }

    private void await(int tasks, Duration within, String what, java.util.function.LongSupplier seen) {
        long until = System.nanoTime() + within.toNanos();
        while (seen.getAsLong() < tasks) {
            check();
            if (System.nanoTime() > until) {
                throw new IllegalStateException(seen.getAsLong() + " of " + tasks + " tasks of type " + type + " seen "
                        + what + " within " + within);
            }
            LoadGenerator.sleep(Duration.ofMillis(5));
        }
        check();
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** @return how many tasks were seen created so far */
    int createdCount() {
        return created.size();
    }

    /** @return how many tasks were seen to succeed so far */
    long succeededCount() {
        return succeeded.get();
    }

    /** @return each task's lag, in ns: its PENDING event's {@code at} less {@code since} */
    List<Long> lagsSince(Instant since) {
        return created.values().stream().map(at -> Duration.between(since, at).toNanos()).toList();
    }

    /** @return the {@code at} of every PENDING event seen, in order */
    List<Instant> createdInOrder() {
        List<Instant> times = new ArrayList<>(created.values());
        times.sort(Comparator.naturalOrder());
        return times;
    }

    /** @return the latest PENDING {@code at} seen */
    Instant lastCreated() {
        return created.values().stream().max(Comparator.naturalOrder()).orElseThrow();
    }

    /** Forgets what was seen, to measure afresh. */
    void reset() {
        created.clear();
        succeeded.set(0);
    }

    @Override
    public void close() {
        watch.dispose();
    }
}
