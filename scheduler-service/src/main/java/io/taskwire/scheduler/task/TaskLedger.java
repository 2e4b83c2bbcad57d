package io.taskwire.scheduler.task;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;

/**
 * The record of every task: creates them, applies each transition under the task's lock, publishes
 * the change to watchers, and hands finished tasks to the store's retention. A transition that does
 * not apply (a late result, a second abort) changes nothing and publishes nothing.
 */
public class TaskLedger {

    private final TaskStore store;
    private final TaskEvents events;
    private final TaskProperties properties;
    private final Clock clock;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final List<TaskObserver> observers;

    TaskLedger(TaskStore store, TaskEvents events, TaskProperties properties, Clock clock, List<TaskObserver> observers) {
        this.store = store;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.observers = List.copyOf(observers);
    }

    /**
     * Creates a task, or finds the one created earlier under the same idempotency key.
     *
     * @param spec the submission
     * @return the task and whether it is new
     */
    public Created create(TaskSpec spec) {
        if (unfinished.get() >= properties.maxPending()) {
            throw new ProtocolException(ErrorCode.AT_CAPACITY, "the scheduler holds " + properties.maxPending()
                    + " unfinished tasks, its limit; try again later");
        }
        Duration timeout = spec.timeoutMs() == null ? properties.defaultTimeout() : Duration.ofMillis(spec.timeoutMs());
        int maxAttempts = spec.maxAttempts() == null ? properties.defaultMaxAttempts() : spec.maxAttempts();
        Task task = new Task(UUID.randomUUID().toString(), spec, clock.instant(), timeout, maxAttempts);
        Task stored = store.add(task);
        if (stored != task) {
            return new Created(stored, false);
        }
        unfinished.incrementAndGet();
        synchronized (task) {
            published(task);
        }
        return new Created(task, true);
    }

    public Optional<Task> find(String taskId) {
        return store.find(taskId);
    }

    /**
     * @param taskId a task id
     * @return the task
     * @throws ProtocolException {@code NOT_FOUND} when there is no such task (or it aged out)
     */
    public Task get(String taskId) {
        return store.find(taskId).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no task " + taskId));
    }

    public List<Task> list(TaskStatus status, String type, int limit) {
        return store.list(status, type, limit);
    }

    /** Starts a new attempt; null when the task is no longer pending (aborted meanwhile). */
    public TaskAssignment dispatch(Task task, String workerId, String fence) {
        synchronized (task) {
            TaskAssignment assignment = task.dispatch(workerId, fence, clock.instant());
            if (assignment != null) {
                published(task);
            }
            return assignment;
        }
    }

    /** Records a worker's result once; a repeat is {@code duplicate}, an old attempt's is {@code stale}. */
    public Recorded record(Task task, TaskResult result) {
        synchronized (task) {
            Task.Recording recording = task.record(result, clock.instant());
            if (recording == Task.Recording.ACCEPTED || recording == Task.Recording.REJECTED) {
                published(task);
            }
            boolean accepted = recording == Task.Recording.ACCEPTED || recording == Task.Recording.REJECTED;
            ResultAck ack = new ResultAck(result.taskId(), result.attempt(), accepted,
                    recording == Task.Recording.DUPLICATE, recording == Task.Recording.STALE);
            return new Recorded(ack, task.status() == TaskStatus.PENDING && accepted);
        }
    }

    /** The attempt ended without a result; true when the task changed (pending again, or failed). */
    public boolean attemptLost(Task task, int attempt, TaskError why) {
        return apply(task, () -> task.attemptLost(attempt, why, clock.instant()));
    }

    /** The scheduler's deadline for the attempt passed; true when the task changed. */
    public boolean timedOut(Task task, int attempt) {
        return apply(task, () -> task.timedOut(attempt, clock.instant()));
    }

    /**
     * Aborts the task.
     *
     * @return the task as it was just before, taken under the same lock (so the attempt to cancel
     *         is the one that ran); empty when it was already final
     */
    public Optional<TaskView> abort(Task task) {
        synchronized (task) {
            TaskView before = task.view();
            return apply(task, () -> task.abort(clock.instant())) ? Optional.of(before) : Optional.empty();
        }
    }

    /** Sends the task elsewhere next time if another worker can take it: this one refused it, failed it or did not answer. */
    public void avoid(Task task, String workerId) {
        task.avoid(workerId);
    }

    public Flux<TaskEvent> watch(Task task) {
        return events.watch(task, clock);
    }

    public Flux<TaskEvent> watch(WatchFilter filter) {
        return events.watch(filter);
    }

    /** @return tasks not yet final */
    public int unfinished() {
        return unfinished.get();
    }

    private boolean apply(Task task, BooleanSupplier transition) {
        synchronized (task) {
            boolean changed = transition.getAsBoolean();
            if (changed) {
                published(task);
            }
            return changed;
        }
    }

    private void published(Task task) {
        TaskEvent event = task.event(clock.instant());
        events.publish(task, event);
        observers.forEach(observer -> observer.changed(task, event));
        if (event.status().isFinal()) {
            unfinished.decrementAndGet();
            store.finished(task);
        }
    }

    /**
     * The outcome of {@link #create}.
     *
     * @param task the task
     * @param isNew false when an earlier task with the same idempotency key was returned
     */
    public record Created(Task task, boolean isNew) {
    }

    /**
     * The outcome of {@link #record}.
     *
     * @param ack the answer for the worker
     * @param pendingAgain the task went back to the queue (refused, or failed with attempts left)
     */
    public record Recorded(ResultAck ack, boolean pendingAgain) {
    }
}
