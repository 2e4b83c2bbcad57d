package io.taskwire.worker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.capacity.Slots;
import io.taskwire.worker.connection.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs assignments on the slot threads: refuses at once when full, draining or given an unknown
 * type; stops a handler at its deadline (interrupt, then abandon) or on {@code task.cancel}; turns
 * whatever the handler did into a {@link TaskResult}.
 */
@Component
public class TaskRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final Map<String, TaskHandler> handlers = new TreeMap<>();
    private final Slots slots;
    private final String workerId;
    private final Clock clock;
    private final ExecutorService threads;
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean draining;

    TaskRunner(List<TaskHandler> handlers, Slots slots, WorkerProperties properties, Clock clock) {
        for (TaskHandler handler : handlers) {
            TaskHandler previous = this.handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for task type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        this.slots = slots;
        this.workerId = properties.id();
        this.clock = clock;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "taskwire-slot-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return the task types this worker handles, sorted */
    public List<String> types() {
        return List.copyOf(handlers.keySet());
    }

    /** Refuses new tasks from now on; running ones finish. */
    public void drain() {
        draining = true;
    }

    /** @return attempts running now */
    public int runningCount() {
        return running.size();
    }

    /** Runs one attempt; the result comes when it ends, however it ends. */
    public Mono<TaskResult> execute(TaskAssignment assignment) {
        Instant received = clock.instant();
        TaskHandler handler = handlers.get(assignment.type());
        if (draining) {
            return Mono.just(refused(assignment, ErrorCode.DRAINING, "worker " + workerId + " is draining", received));
        }
        if (handler == null) {
            return Mono.just(refused(assignment, ErrorCode.UNKNOWN_TASK_TYPE,
                    "worker " + workerId + " has no handler for '" + assignment.type() + "'", received));
        }
        if (!slots.tryAcquire()) {
            return Mono.just(refused(assignment, ErrorCode.AT_CAPACITY,
                    "worker " + workerId + " has all " + slots.capacity() + " slots in use", received));
        }
        Duration left = Duration.between(received, assignment.deadline());
        if (left.isNegative() || left.isZero()) {
            slots.release();
            return Mono.just(timedOut(assignment, received));
        }
        return Mono.<TaskResult>create(sink -> start(assignment, handler, sink))
                .timeout(left, Mono.fromSupplier(() -> timedOut(assignment, received)));
    }

    /** Stops the named attempt if it runs here; another attempt of the same task is left alone. */
    public void cancel(TaskCancel cancel) {
        Running target = running.get(cancel.taskId());
        if (target != null && target.assignment().attempt() == cancel.attempt()) {
            log.debug("Cancelling task {} attempt {}: {}", cancel.taskId(), cancel.attempt(), cancel.reason());
            target.cancel();
        }
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }

    private void start(TaskAssignment assignment, TaskHandler handler, MonoSink<TaskResult> sink) {
        Running attempt = new Running(assignment);
        running.put(assignment.taskId(), attempt);
        try {
            Future<?> future = threads.submit(() -> run(attempt, handler, sink));
            attempt.started(future);
            sink.onCancel(attempt::cancel);
        } catch (RejectedExecutionException shuttingDown) {
            running.remove(assignment.taskId(), attempt);
            slots.release();
            sink.success(refused(assignment, ErrorCode.DRAINING, "worker " + workerId + " is shutting down",
                    clock.instant()));
        }
    }

    private void run(Running attempt, TaskHandler handler, MonoSink<TaskResult> sink) {
        TaskAssignment assignment = attempt.assignment();
        Instant started = clock.instant();
        try {
            JsonNode output = handler.execute(assignment.payload(),
                    new TaskContext(assignment.taskId(), assignment.attempt(), assignment.deadline()));
            sink.success(result(assignment, Outcome.SUCCEEDED, output == null ? NullNode.getInstance() : output,
                    null, started));
        } catch (Throwable failure) {
            sink.success(failed(attempt, failure, started));
        } finally {
            running.remove(assignment.taskId(), attempt);
            slots.release();
        }
    }

    private TaskResult failed(Running attempt, Throwable failure, Instant started) {
        TaskAssignment assignment = attempt.assignment();
        if (attempt.cancelled()) {
            return result(assignment, Outcome.CANCELLED, null,
                    new TaskError("CANCELLED", "cancelled by the scheduler", false), started);
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        TaskError error;
        if (failure instanceof TaskFailedException declared) {
            error = new TaskError(declared.code(), declared.getMessage(), declared.retryable());
        } else if (failure instanceof IllegalArgumentException badPayload) {
            error = TaskError.of(ErrorCode.INVALID_REQUEST, badPayload.getMessage(), false);
        } else {
            log.warn("Handler for {} failed on task {} attempt {}", assignment.type(), assignment.taskId(),
                    assignment.attempt(), failure);
            error = TaskError.of(ErrorCode.INTERNAL, failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                    true);
        }
        return result(assignment, Outcome.FAILED, null, error, started);
    }

    private TaskResult timedOut(TaskAssignment assignment, Instant started) {
        return result(assignment, Outcome.TIMED_OUT, null, TaskError.of(ErrorCode.TIMEOUT,
                "still running at its deadline " + assignment.deadline() + "; interrupted", false), started);
    }

    private TaskResult refused(TaskAssignment assignment, ErrorCode code, String why, Instant at) {
        return result(assignment, Outcome.REJECTED, null, TaskError.of(code, why, true), at);
    }

    private TaskResult result(TaskAssignment assignment, Outcome outcome, JsonNode output, TaskError error,
                              Instant started) {
        return new TaskResult(assignment.taskId(), assignment.attempt(), workerId, assignment.fence(), outcome,
                output, error, started, clock.instant());
    }

    /** An attempt on a slot thread. */
    private static final class Running {

        private final TaskAssignment assignment;
        private volatile Future<?> future;
        private volatile boolean cancelled;

        Running(TaskAssignment assignment) {
            this.assignment = assignment;
        }

        TaskAssignment assignment() {
            return assignment;
        }

        void started(Future<?> started) {
            future = started;
        }

        boolean cancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
            Future<?> current = future;
            if (current != null) {
                current.cancel(true);
            }
        }
    }
}
