package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.JsonSize;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.scheduler.dispatch.Dispatcher;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.scheduler.task.TaskProperties;
import io.taskwire.transport.TransportProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What clients can do with tasks, whichever way they come in (HTTP or RSocket): submit (one, many,
 * and wait), read, abort, watch.
 */
@Service
public class Submissions {

    /** The idempotency keys of schedules' fires (PROTOCOL.md section 8): a client's task may not take one. */
    static final String SCHEDULE_KEYS = "schedule:";

    /** Most specs in one batch submission. */
    static final int MAX_BATCH = 10_000;

    private final TaskLedger ledger;
    private final Dispatcher dispatcher;
    private final WorkerRegistry registry;
    private final TaskProperties properties;
    private final TransportProperties transport;

    Submissions(TaskLedger ledger, Dispatcher dispatcher, WorkerRegistry registry, TaskProperties properties,
                TransportProperties transport) {
        this.transport = transport;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.registry = registry;
        this.properties = properties;
    }

    /** Accepts a task (or returns the first one with the same idempotency key), once it is stored. */
    public Mono<TaskView> submit(TaskSpec spec) {
        check(spec, "");
        return accept(spec).map(Accepted::view);
    }

    /**
     * Accepts every task or refuses the batch: the whole batch is checked before any task is created.
     * The new tasks are queued together, so that those for one worker can leave in one batch. When
     * some could not be created (the store failed, or the scheduler reached its limit half-way), the
     * batch is refused with that error, and the others, stored, are queued all the same.
     */
    public Mono<List<TaskView>> submitAll(List<TaskSpec> specs) {
        if (specs.isEmpty() || specs.size() > MAX_BATCH) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "a batch holds 1 to " + MAX_BATCH + " tasks, this one " + specs.size());
        }
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i) == null) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "[" + i + "] must be a TaskSpec object, was null");
            }
            check(specs.get(i), "[" + i + "].");
        }
        // all created at once, so that their inserts share commits
        return Flux.fromIterable(specs)
                .flatMapSequential(spec -> ledger.create(spec).map(Creation::of).onErrorResume(e -> Mono.just(Creation.failed(e))),
                        MAX_BATCH, 1)
                .collectList()
                .map(this::accepted);
    }

    /** Queues the new tasks of a batch, then answers with the views as accepted, or with the first failure. */
    private List<TaskView> accepted(List<Creation> creations) {
        List<TaskView> views = new ArrayList<>(creations.size());
        List<Task> created = new ArrayList<>(creations.size());
        Throwable failed = null;
        for (Creation creation : creations) {
            if (creation.failure() != null) {
                failed = failed == null ? creation.failure() : failed;
                continue;
            }
            // the view as accepted: once queued, a fast worker may finish the task before we answer
            views.add(creation.task().view());
            if (creation.isNew()) {
                created.add(creation.task());
            }
        }
        dispatcher.enqueueAll(created);
        if (failed != null) {
            throw Exceptions.propagate(failed);
        }
        return views;
    }

    /**
     * Accepts a task and waits for its final state.
     *
     * @param wait how long to wait at most (capped by the configured maximum)
     * @return the final view, once stored, or the current one if the wait ran out
     */
    public Mono<TaskView> submitAndAwait(TaskSpec spec, Duration wait) {
        check(spec, "");
        Duration bounded = wait.compareTo(properties.maxAwait()) > 0 ? properties.maxAwait() : wait;
        return accept(spec).flatMap(accepted -> {
            Task task = accepted.task();
            return ledger.watch(task)
                    .filter(event -> event.status().isFinal())
                    .next()
                    .flatMap(event -> ledger.stored(task).then(Mono.fromCallable(task::view)))
                    .timeout(bounded, Mono.fromCallable(task::view));
        });
    }

    /** @return how long {@code task.submit.await} waits for this spec */
    public Duration awaitFor(TaskSpec spec) {
        return spec.awaitMs() == null ? properties.defaultAwait() : Duration.ofMillis(spec.awaitMs());
    }

    public Mono<TaskView> get(String taskId) {
        return ledger.get(taskId).map(Task::view);
    }

    public Mono<List<TaskView>> list(TaskQuery query) {
        return ledger.list(query).map(tasks -> tasks.stream().map(Task::view).toList());
    }

    /** Aborts a task and stops its running attempt, once that is stored; a task already final is returned as it is. */
    public Mono<TaskView> abort(String taskId) {
        return ledger.get(taskId).flatMap(task -> {
            ledger.abort(task).ifPresent(dispatcher::cancelRunning);
            return ledger.stored(task).then(Mono.fromCallable(task::view));
        });
    }

    /** Status changes: of one task (from its current state to its final one), or of many, without end. */
    public Flux<TaskEvent> watch(WatchFilter filter) {
        if (filter.taskId() == null) {
            return ledger.watch(filter);
        }
        return ledger.get(filter.taskId()).flatMapMany(task -> filter.type() != null && !filter.type().equals(task.type())
                ? Flux.empty() : ledger.watch(task));
    }

    /** Creates the task (or finds the first one with its idempotency key) and queues it once it is stored. */
    private Mono<Accepted> accept(TaskSpec spec) {
        return ledger.create(spec).map(created -> {
            Task task = created.task();
            // the view as accepted: once queued, a fast worker may finish the task before we answer
            TaskView view = task.view();
            if (created.isNew()) {
                dispatcher.enqueue(task);
            }
            return new Accepted(task, view);
        });
    }

    private record Accepted(Task task, TaskView view) {
    }

    /** One task of a batch: created (or found by its key), or not. */
    private record Creation(Task task, boolean isNew, Throwable failure) {

        static Creation of(TaskLedger.Created created) {
            return new Creation(created.task(), created.isNew(), null);
        }

        static Creation failed(Throwable failure) {
            return new Creation(null, false, failure);
        }
    }

    /**
     * The type must be known, and the payload small enough that its assignment fits a request.
     *
     * @param prefix what the fields' names in an error start with, e.g. {@code "task."}
     */
    public void check(TaskSpec spec, String prefix) {
        String type = spec.type();
        if (!registry.everAdvertised(type) && !properties.declaredTypes().contains(type)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TASK_TYPE, prefix + "type: no worker has advertised task type '"
                    + type + "' and it is not in taskwire.scheduler.tasks.declared-types");
        }
        if (spec.idempotencyKey() != null && spec.idempotencyKey().startsWith(SCHEDULE_KEYS)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, prefix + "idempotencyKey: keys starting with '"
                    + SCHEDULE_KEYS + "' are the fires' of schedules");
        }
        if (spec.timeoutMs() != null && spec.timeoutMs() > properties.maxTimeout().toMillis()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, prefix + "timeoutMs must be at most "
                    + properties.maxTimeout().toMillis() + " (taskwire.scheduler.tasks.max-timeout), was " + spec.timeoutMs());
        }
        if (!JsonSize.fits(spec.payload(), transport.maxValueBytes())) {
            throw new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, prefix + "payload is " + Json.size(spec.payload())
                    + " bytes; a payload may be at most " + transport.maxValueBytes() + " bytes");
        }
    }
}
