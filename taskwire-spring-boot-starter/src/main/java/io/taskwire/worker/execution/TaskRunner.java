package io.taskwire.worker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.JsonSize;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.connection.AttemptsInHand;
import org.springframework.core.Ordered;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.TransportProperties;
import io.taskwire.worker.capacity.Slots;
import io.rsocket.RSocket;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerConnection;
import io.taskwire.worker.connection.WorkerConfigListener;
import io.taskwire.worker.delivery.ResultOutbox;
import io.taskwire.worker.delivery.ResultSender;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskFailedException;
import io.taskwire.worker.handler.TaskHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs assignments on the slot threads: refuses at once when full, draining or given an unknown
 * type; stops a handler at its deadline (interrupt, then abandon) or on {@code task.cancel}; turns
 * whatever the handler did into a {@link TaskResult}. A result whose reply stream is gone goes to
 * the {@link ResultOutbox}; a result of a batched task, which has no reply, to the {@link ResultSender}.
 */
@Component
public class TaskRunner implements DisposableBean, AttemptsInHand, WorkerConfigListener, Ordered {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final TaskHandlers handlers;
    private final Slots slots;
    private final ResultOutbox outbox;
    private final ResultSender results;
    private final SchedulerConnection connection;
    private final String workerId;
    private final long maxOutputBytes;
    private final Clock clock;
    private final ExecutorService threads;
    private final ConcurrentHashMap<String, Attempt> running = new ConcurrentHashMap<>();
    /** Set on shutdown (SIGTERM); never undone. */
    private volatile boolean stopping;
    /** Set and cleared by the scheduler's {@code worker.config}. */
    private volatile boolean drainedByScheduler;

    TaskRunner(TaskHandlers handlers, Slots slots, ResultOutbox outbox, ResultSender results,
               SchedulerConnection connection, ConnectionProperties properties, TransportProperties transport,
               Clock clock) {
        this.results = results;
        this.connection = connection;
        this.maxOutputBytes = transport.maxValueBytes();
        this.handlers = handlers;
        this.slots = slots;
        this.outbox = outbox;
        this.workerId = properties.id();
        this.clock = clock;
        AtomicInteger counter = new AtomicInteger();
        // unbounded in principle, bounded by the slots in practice: a task runs only with a slot
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "taskwire-slot-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Refuses new tasks from now on, for good, because the worker shuts down; running ones finish. */
    void drain() {
        stopping = true;
    }

    /**
     * Follows the scheduler's drain ({@code worker.config}): while drained the worker refuses new tasks,
     * running ones finish. A worker that shuts down stays draining whatever the scheduler says.
     */
    @Override
    public void configured(WorkerConfig config) {
        boolean drained = config.draining();
        if (drained != drainedByScheduler) {
            log.info(drained ? "The scheduler drains this worker: no new tasks until it is resumed"
                    : "The scheduler resumed this worker: it takes new tasks again");
        }
        drainedByScheduler = drained;
    }

    /** @return whether the worker refuses new tasks because it is draining, for either reason */
    public boolean draining() {
        return stopping || drainedByScheduler;
    }

    /** @return why the worker drains: {@code shutdown}, {@code scheduler}, or empty when it does not */
    public Optional<String> drainedBy() {
        if (stopping) {
            return Optional.of("shutdown");
        }
        return drainedByScheduler ? Optional.of("scheduler") : Optional.empty();
    }

    /** The running attempts, listed before the outbox's results. */
    @Override
    public List<RunningAttempt> attemptsInHand() {
        return running.values().stream().map(attempt -> RunningAttempt.of(attempt.assignment())).toList();
    }

    @Override
    public int getOrder() {
        return 0;
    }

    /** @return attempts running now */
    public int runningCount() {
        return running.size();
    }

    /** Runs one attempt; the reply comes when it ends, however it ends. */
    /**
     * @param assignment the task
     * @param arrivedOn the connection the assignment came over: its result is the reply on that
     *        connection while it is open and still the worker's connection, else it goes to the outbox
     * @return the result, when the attempt ends
     */
    Mono<TaskResult> execute(TaskAssignment assignment, RSocket arrivedOn) {
        Instant received = clock.instant();
        TaskHandler handler = handlers.find(assignment.type()).orElse(null);
        Refusal refusal = admit(assignment, handler);
        if (refusal != null) {
            return Mono.just(refused(assignment, refusal.code(), refusal.why(), received));
        }
        Duration left = Duration.between(received, assignment.deadline());
        if (left.isNegative() || left.isZero()) {
            slots.release();
            return Mono.just(timedOut(assignment, received));
        }
        // a task may arrive before worker.config has marked its connection current: what matters is
        // that its own connection is still open and no newer one replaced it
        Attempt attempt = new Attempt(assignment, outbox::add, outbox::replied,
                () -> arrivedOn != null && !arrivedOn.isDisposed()
                        && connection.current().map(c -> c.requester().rsocket() == arrivedOn).orElse(true));
        return Mono.create(reply -> {
            attempt.replyTo(reply);
            reply.onCancel(attempt::orphan);
            start(attempt, handler, left, received);
        });
    }

    /**
     * Starts the assignments of a batch, in order, as long as slots are free; each refuses as
     * {@code task.execute} would (draining, unknown type, at capacity). The results of those that
     * started go by {@code task.result}, several at once by {@code task.result.batch}.
     *
     * @return which started and which were refused, with the code
     */
    BatchReceipt executeAll(List<TaskAssignment> assignments) {
        Instant received = clock.instant();
        List<String> accepted = new ArrayList<>(assignments.size());
        List<BatchReceipt.Rejection> rejected = new ArrayList<>();
        for (TaskAssignment assignment : assignments) {
            TaskHandler handler = handlers.find(assignment.type()).orElse(null);
            Refusal refusal = admit(assignment, handler);
            if (refusal != null) {
                rejected.add(new BatchReceipt.Rejection(assignment.taskId(), refusal.code().name()));
                continue;
            }
            accepted.add(assignment.taskId());
            Duration left = Duration.between(received, assignment.deadline());
            if (left.isNegative() || left.isZero()) {
                slots.release();
                results.send(timedOut(assignment, received));
            } else {
                start(Attempt.detached(assignment, results::send), handler, left, received);
            }
        }
        if (!rejected.isEmpty()) {
            log.debug("Started {} tasks of a batch, refused {}", accepted.size(), rejected.size());
        }
        return new BatchReceipt(accepted, rejected);
    }

    /** Takes a slot for the assignment, or says why it cannot start here now. */
    private Refusal admit(TaskAssignment assignment, TaskHandler handler) {
        if (stopping) {
            return new Refusal(ErrorCode.DRAINING, "worker " + workerId + " is shutting down");
        }
        if (drainedByScheduler) {
            return new Refusal(ErrorCode.DRAINING, "worker " + workerId + " is drained by the scheduler");
        }
        if (handler == null) {
            return new Refusal(ErrorCode.UNKNOWN_TASK_TYPE,
                    "worker " + workerId + " has no handler for '" + assignment.type() + "'");
        }
        if (!slots.tryAcquire()) {
            return new Refusal(ErrorCode.AT_CAPACITY,
                    "worker " + workerId + " has all " + slots.capacity() + " slots in use");
        }
        return null;
    }

    private record Refusal(ErrorCode code, String why) {
    }

    /** Stops the named attempt if it runs here; another attempt of the same task is left alone. */
    void cancel(TaskCancel cancel) {
        Attempt target = running.get(cancel.taskId());
        if (target != null && target.assignment().attempt() == cancel.attempt()) {
            log.debug("Cancelling task {} attempt {}: {}", cancel.taskId(), cancel.attempt(), cancel.reason());
            target.cancel();
        }
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }

    private void start(Attempt attempt, TaskHandler handler, Duration left, Instant received) {
        TaskAssignment assignment = attempt.assignment();
        running.put(assignment.taskId(), attempt);
        Disposable deadline = Schedulers.parallel().schedule(() -> {
            attempt.interrupt();
            attempt.complete(timedOut(assignment, received));
        }, left.toMillis(), TimeUnit.MILLISECONDS);
        try {
            threads.execute(() -> run(attempt, handler, deadline));
        } catch (RejectedExecutionException shuttingDown) {
            deadline.dispose();
            running.remove(assignment.taskId(), attempt);
            slots.release();
            attempt.complete(refused(assignment, ErrorCode.DRAINING, "worker " + workerId + " is shutting down",
                    clock.instant()));
        }
    }

    private void run(Attempt attempt, TaskHandler handler, Disposable deadline) {
        TaskAssignment assignment = attempt.assignment();
        Instant started = clock.instant();
        try {
            if (!attempt.enter()) {
                // stopped before it could start: a cancel is reported here, a deadline already was
                if (attempt.cancelled()) {
                    attempt.complete(failed(attempt, new InterruptedException("cancelled before it started"), started));
                }
                return;
            }
            JsonNode output = handler.execute(assignment.payload(),
                    new TaskContext(assignment.taskId(), assignment.attempt(), assignment.deadline()));
            attempt.complete(succeeded(assignment, output, started));
        } catch (Throwable failure) {
            attempt.complete(failed(attempt, failure, started));
        } finally {
            attempt.exit();
            deadline.dispose();
            running.remove(assignment.taskId(), attempt);
            slots.release();
        }
    }

    /** An output over the protocol's limit for a value (PROTOCOL.md section 1) fails the attempt for good. */
    private TaskResult succeeded(TaskAssignment assignment, JsonNode output, Instant started) {
        JsonNode value = output == null ? NullNode.getInstance() : output;
        if (!JsonSize.fits(value, maxOutputBytes)) {
            return result(assignment, Outcome.FAILED, null, TaskError.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the output is " + Json.size(value) + " bytes; an output may be at most " + maxOutputBytes
                            + " bytes", false), started);
        }
        return result(assignment, Outcome.SUCCEEDED, value, null, started);
    }

    private TaskResult failed(Attempt attempt, Throwable failure, Instant started) {
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
}
