package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** The fake workers one test connects, each accepted before use, all closed together. */
public final class FakeWorkers implements AutoCloseable {

    /** How long a worker may take to be accepted, and a queue to deliver what the test waits for. */
    public static final Duration WITHIN = Duration.ofSeconds(5);

    private final int port;
    private final List<FakeWorker> started = new CopyOnWriteArrayList<>();

    public FakeWorkers(int port) {
        this.port = port;
    }

    /** Connects a worker and returns once the scheduler accepted it (its {@code worker.config} arrived). */
    public FakeWorker start(WorkerHello hello, Function<TaskAssignment, Mono<TaskResult>> behaviour) {
        FakeWorker worker = FakeWorker.connect(port, hello, behaviour);
        started.add(worker);
        WorkerConfig config = poll(worker.configs, WITHIN);
        assertThat(config).as("worker.config sent to %s once accepted", hello.workerId()).isNotNull();
        return worker;
    }

    /** A worker with 4 slots that answers every task at once with its payload. */
    public FakeWorker echo(String id, String... types) {
        return start(FakeWorker.hello(id, 4, types), assignment -> FakeWorker.echo(assignment, id));
    }

    /** A worker with 4 slots that never answers {@code task.execute}. */
    public FakeWorker silent(String id, String... types) {
        return start(FakeWorker.hello(id, 4, types), assignment -> Mono.never());
    }

    @Override
    public void close() {
        started.forEach(FakeWorker::close);
    }

    /** @return the next element within the wait, or null */
    public static <T> T poll(BlockingQueue<T> queue, Duration within) {
        try {
            return queue.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** @return exactly {@code count} elements, failing if they do not all arrive within the wait */
    public static <T> List<T> take(BlockingQueue<T> queue, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<T> taken = new ArrayList<>();
        while (taken.size() < count) {
            T next = poll(queue, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            assertThat(next).as("element %d of %d within %s", taken.size() + 1, count, within).isNotNull();
            taken.add(next);
        }
        return taken;
    }
}
