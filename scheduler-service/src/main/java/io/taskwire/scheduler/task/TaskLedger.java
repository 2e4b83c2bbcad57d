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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import io.taskwire.scheduler.store.ScheduleRow;
import io.taskwire.scheduler.store.TaskRow;
import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.store.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The record of every task: creates them, applies each transition under the task's lock, writes the
 * task's new state to the {@link TaskStore} in the same place, publishes the change to watchers, and
 * hands finished tasks to the in-memory retention. A transition that does not apply (a late result,
 * a second abort) changes nothing, writes nothing and publishes nothing.
 *
 * <p>What the scheduler acknowledges is committed first (PROTOCOL.md section 7): a creation is
 * answered once its insert is committed, and {@link #stored} tells when a task's newest state is. A
 * task is seen by nobody but its submitter until its creation is committed. A state whose commit
 * failed (the database was down) is written again every {@code rewrite-interval} until it is in.
 */
public class TaskLedger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskLedger.class);

    private final TaskIndex index;
    private final TaskStore store;
    private final TaskEvents events;
    private final TaskProperties properties;
    private final Clock clock;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final List<TaskObserver> observers;
    /** The epoch of this scheduler's lead; -1 until it leads ({@link #open}). */
    private volatile long epoch = -1;
    /** Tasks whose newest state could not be committed: written again until it is. */
    private final Set<Task> unwritten = ConcurrentHashMap.newKeySet();
    private final Disposable rewrites;

    /**
     * An empty ledger: it takes the tasks in the store when this scheduler takes the lead ({@link #open}).
     *
     * @param rewriteInterval how often states whose commit failed are written again
     */
    TaskLedger(TaskStore store, TaskEvents events, TaskProperties properties, Clock clock, List<TaskObserver> observers,
               Duration rewriteInterval) {
        this.store = store;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.observers = List.copyOf(observers);
        this.index = new TaskIndex(properties, clock);
        this.rewrites = store.durable()
                ? Flux.interval(rewriteInterval, Schedulers.parallel()).onBackpressureDrop().subscribe(tick -> rewrite())
                : Disposables.disposed();
    }

    /**
     * This scheduler took the lead with that epoch: loads every unfinished task the store holds.
     * Once, before any task is created or dispatched.
     *
     * @return the unfinished tasks loaded, as they were in the store
     */
    public synchronized List<Task> open(long epoch) {
        if (this.epoch >= 0) {
            throw new IllegalStateException("the ledger is open already, with epoch " + this.epoch);
        }
        List<Task> loaded = new ArrayList<>();
        for (TaskRow row : store.unfinished()) {
            Task task = Task.restored(row);
            index.add(task);
            loaded.add(task);
        }
        unfinished.set(loaded.size());
        this.epoch = epoch;
        if (!loaded.isEmpty()) {
            log.info("Loaded {} unfinished tasks from the store ({} pending, {} dispatched)", loaded.size(),
                    loaded.stream().filter(task -> task.status() == TaskStatus.PENDING).count(),
                    loaded.stream().filter(task -> task.status() == TaskStatus.DISPATCHED).count());
        }
        return List.copyOf(loaded);
    }

    /**
     * This scheduler lost the lead: every watch ends with {@code UNAVAILABLE}, so that its client
     * watches again at the new leader, which starts with the task's current state there.
     */
    public void leadLost(String why) {
        events.endAll(new ProtocolException(ErrorCode.UNAVAILABLE, "this scheduler lost the lead (" + why
                + "): watch again at the leader"));
    }

    /** @return the epoch of this scheduler's lead, larger than that of any earlier lead on the same store; -1 before it leads */
    public long epoch() {
        return epoch;
    }

    /**
     * Creates a task, or finds the one created earlier under the same idempotency key; either way
     * the Mono gives it once its creation is committed.
     *
     * @return the task and whether it is new; {@code UNAVAILABLE} when the store could not take it,
     *         {@code AT_CAPACITY} when the scheduler holds its limit of unfinished tasks
     */
    public Mono<Created> create(TaskSpec spec) {
        return Mono.defer(() -> creating(spec));
    }

    /**
     * Creates the task a schedule fires, stored in the same commit as the schedule's new state (which
     * names the task), so that a crash or a takeover at any instant leaves both or neither. Its
     * idempotency key is the fire's ({@code schedule:<id>:<fire time>}); the store is not asked for
     * it, as the schedule's row already says which fires made a task.
     *
     * @param taskId the new task's id, which {@code schedule} names as its last task
     * @return the task and whether it is new (false when a task with the fire's key is in memory:
     *         then nothing is written); {@code UNAVAILABLE} or {@code AT_CAPACITY} as {@link #create}
     */
    public Mono<Created> createFired(String taskId, TaskSpec spec, ScheduleRow schedule) {
        return Mono.defer(() -> {
            checkCapacity();
            return add(taskId, spec, schedule);
        });
    }

    private void checkCapacity() {
        if (unfinished.get() >= properties.maxPending()) {
            throw new ProtocolException(ErrorCode.AT_CAPACITY, "the scheduler holds " + properties.maxPending()
                    + " unfinished tasks, its limit; try again later");
        }
    }

    private Mono<Created> creating(TaskSpec spec) {
        checkCapacity();
        String key = spec.idempotencyKey();
        if (key == null || !store.durable() || index.holdsKey(key)) {
            return add(UUID.randomUUID().toString(), spec, null);
        }
        // a key the index does not hold may belong to a task that finished long ago (or before a restart)
        return Mono.fromCallable(() -> store.findByIdempotencyKey(key))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(TaskLedger::unavailable)
                .flatMap(found -> found.isPresent()
                        ? Mono.just(new Created(Task.restored(found.get()), false))
                        : add(UUID.randomUUID().toString(), spec, null));
    }

    /** @param schedule the new state of the schedule that fired the task, stored with it; null for a client's task */
    private Mono<Created> add(String taskId, TaskSpec spec, ScheduleRow schedule) {
        Duration timeout = spec.timeoutMs() == null ? properties.defaultTimeout() : Duration.ofMillis(spec.timeoutMs());
        int maxAttempts = spec.maxAttempts() == null ? properties.defaultMaxAttempts() : spec.maxAttempts();
        // to the microsecond, as the store keeps it: a task read back is the task as it was created
        Task task = new Task(taskId, spec, clock.instant().truncatedTo(ChronoUnit.MICROS), timeout, maxAttempts, schedule == null ? null : schedule.id());
        Task held;
        CompletableFuture<Void> created = null;
        synchronized (task) {
            held = index.add(task);
            if (held == task) {
                unfinished.incrementAndGet();
                // under the task's lock, so that no transition of it is written before its creation
                created = (schedule == null ? store.insert(task.row()) : store.insert(task.row(), schedule))
                        .whenComplete((ok, failed) -> committed(task, failed));
                task.written(created, true);
            }
        }
        if (held != task) {
            return committed(held.creation()).thenReturn(new Created(held, false));
        }
        return committed(created).thenReturn(new Created(task, true));
    }

    /** A creation's commit went one way or the other: the task is announced, or taken back. */
    private void committed(Task task, Throwable failed) {
        if (failed != null) {
            index.remove(task);
            unfinished.decrementAndGet();
            return;
        }
        synchronized (task) {
            published(task);
        }
    }

    /**
     * @return completes once the task's newest state, as it is now, is committed;
     *         {@code UNAVAILABLE} when that commit failed
     */
    public Mono<Void> stored(Task task) {
        return committed(task.newestWrite());
    }

    /** @return whether the task's newest state is committed already (always, in the in-memory mode) */
    public boolean isStored(Task task) {
        return isDone(task.newestWrite());
    }

    private static boolean isDone(CompletableFuture<Void> commit) {
        return commit.isDone() && !commit.isCompletedExceptionally();
    }

    /**
     * @return completes once the write is committed (at once when it is already);
     *         {@code UNAVAILABLE} when it could not be, carrying the store's failure as its cause
     */
    public static Mono<Void> committed(CompletableFuture<Void> commit) {
        if (isDone(commit)) {
            return Mono.empty();
        }
        // a caller that stops waiting does not take the write back: it is committed all the same
        return Mono.fromFuture(commit, true).onErrorMap(TaskLedger::unavailable);
    }

    /**
     * The store's failure as the client sees it: what the database said (its first line), without
     * the SQL of the statement that failed.
     */
    private static Throwable unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProtocolException) {
            return cause;
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the task store cannot be written to: " + TaskStore.said(cause),
                cause);
    }

    /** @return the task if the scheduler works with it (unfinished, or finished recently), from memory */
    public Optional<Task> find(String taskId) {
        return index.find(taskId);
    }

    /**
     * A task from memory or, when it is not there (finished long ago, or before a restart), from the
     * store; one read from the store is a copy to look at, not to change.
     *
     * @return the task; {@code NOT_FOUND} when there is no such task (or it aged out)
     */
    public Mono<Task> get(String taskId) {
        Optional<Task> held = index.find(taskId);
        if (held.isPresent() || !store.durable()) {
            return Mono.justOrEmpty(held).switchIfEmpty(Mono.error(() -> notFound(taskId)));
        }
        return Mono.fromCallable(() -> store.find(taskId))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(TaskLedger::unavailable)
                .flatMap(row -> row.map(Task::restored).map(Mono::just).orElseGet(() -> Mono.error(notFound(taskId))));
    }

    private static ProtocolException notFound(String taskId) {
        return new ProtocolException(ErrorCode.NOT_FOUND, "no task " + taskId);
    }

    /**
     * The tasks a query selects: from the store when it is durable (it holds them all), each replaced
     * by the one in memory when there is one, which may be newer than its last commit.
     */
    public Mono<List<Task>> list(TaskQuery query) {
        if (!store.durable()) {
            return Mono.just(index.list(query));
        }
        return Mono.fromCallable(() -> store.list(query))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(TaskLedger::unavailable)
                .map(rows -> rows.stream().map(row -> index.find(row.id()).orElseGet(() -> Task.restored(row))).toList());
    }

    /**
     * The newest tasks a schedule fired, newest first: from the store when it is durable, each
     * replaced by the one in memory when there is one; from memory otherwise.
     */
    public Mono<List<Task>> firedBy(String scheduleId, int limit) {
        if (!store.durable()) {
            return Mono.just(index.firedBy(scheduleId, limit));
        }
        return Mono.fromCallable(() -> store.firedBy(scheduleId, limit))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(TaskLedger::unavailable)
                .map(rows -> rows.stream().map(row -> index.find(row.id()).orElseGet(() -> Task.restored(row))).toList());
    }

    /** Starts a new attempt; null when the task is no longer pending (aborted meanwhile). */
    public TaskAssignment dispatch(Task task, String workerId, String fence) {
        synchronized (task) {
            TaskAssignment assignment = task.dispatch(workerId, fence, clock.instant());
            if (assignment != null) {
                changed(task);
            }
            return assignment;
        }
    }

    /**
     * @return the assignment of the attempt a worker says it runs (or holds the result of), if that
     *         is the task's current attempt on that worker: it can be re-attached
     */
    public Optional<TaskAssignment> runningAttempt(Task task, String workerId, int attempt, String fence) {
        return Optional.ofNullable(task.runningAttempt(workerId, attempt, fence));
    }

    /** Records a worker's result once; a repeat is {@code duplicate}, an old attempt's is {@code stale}. */
    public Recorded record(Task task, TaskResult result) {
        synchronized (task) {
            Task.Recording recording = task.record(result, clock.instant());
            if (recording == Task.Recording.ACCEPTED || recording == Task.Recording.REJECTED) {
                changed(task);
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

    /** The attempt was not sent: its dispatch could not be stored. The task is pending again; true when it changed. */
    public boolean notSent(Task task, int attempt) {
        return apply(task, () -> task.undispatch(attempt));
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

    /** Stops writing again what failed to commit; what is queued is the store's to finish. */
    @Override
    public void close() {
        rewrites.dispose();
    }

    private boolean apply(Task task, BooleanSupplier transition) {
        synchronized (task) {
            boolean changed = transition.getAsBoolean();
            if (changed) {
                changed(task);
            }
            return changed;
        }
    }

    /** A transition happened: the one place where it is written, then published. Under the task's lock. */
    private void changed(Task task) {
        write(task);
        published(task);
    }

    /** Queues the task's state for the store; under the task's lock, so that writes are queued in the order of the states. */
    private void write(Task task) {
        if (!store.durable()) {
            return;
        }
        CompletableFuture<Void> write = store.update(task.row());
        task.written(write, false);
        write.whenComplete((ok, failed) -> {
            if (failed != null) {
                unwritten.add(task);
            }
        });
    }

    /** Writes again each task whose newest state failed to commit (a newer state may have made it meanwhile). */
    private void rewrite() {
        for (Task task : unwritten) {
            unwritten.remove(task);
            synchronized (task) {
                if (task.newestWrite().isCompletedExceptionally()) {
                    write(task);
                }
            }
        }
    }

    /** Tells watchers and observers of the task's new state. Under the task's lock. */
    private void published(Task task) {
        TaskEvent event = task.event(clock.instant());
        events.publish(task, event);
        observers.forEach(observer -> observer.changed(task, event));
        if (event.status().isFinal()) {
            unfinished.decrementAndGet();
            index.finished(task);
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
