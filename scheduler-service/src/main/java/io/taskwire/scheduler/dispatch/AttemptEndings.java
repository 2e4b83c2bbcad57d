package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.micrometer.core.instrument.MeterRegistry;
import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.ProtocolErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.core.codec.CodecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * How each attempt ends, exactly once: with a result (a reply or {@code task.result}), an error
 * answer, the scheduler's deadline, or the loss of the connection. Records the outcome in the
 * ledger, ends the attempt on the worker's breaker, and offers the task again when it went back to
 * PENDING (at once, or after the Resilience4j retry backoff).
 */
final class AttemptEndings {

    private static final Logger log = LoggerFactory.getLogger(AttemptEndings.class);
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.AT_CAPACITY, ErrorCode.DRAINING,
            ErrorCode.UNKNOWN_TASK_TYPE);

    private final TaskLedger ledger;
    private final WorkerRegistry registry;
    private final DispatchProperties properties;
    private final Clock clock;
    private final DispatchQueue queue;
    private final IntervalBiFunction<Object> backoff;
    private final MeterRegistry meters;

    AttemptEndings(TaskLedger ledger, WorkerRegistry registry, DispatchProperties properties, Clock clock,
                   DispatchQueue queue, IntervalBiFunction<Object> backoff, MeterRegistry meters) {
        this.ledger = ledger;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
        this.queue = queue;
        this.backoff = backoff;
        this.meters = meters;
    }

    /** @return the acknowledgement of the result; null when it was the result of another attempt */
    ResultAck ended(Attempt attempt, TaskResult result) {
        TaskAssignment assignment = attempt.assignment();
        if (!result.taskId().equals(assignment.taskId()) || result.attempt() != assignment.attempt()
                || !result.fence().equals(assignment.fence())) {
            malformedReply(attempt, "answered task.execute for task " + assignment.taskId() + " attempt "
                    + assignment.attempt() + " fence " + assignment.fence() + " with the result of task "
                    + result.taskId() + " attempt " + result.attempt() + " fence " + result.fence());
            queue.signal();
            return null;
        }
        attempt.end(workersFault(result) ? failureOf(result) : null,
                result.outcome() == Outcome.REJECTED || result.outcome() == Outcome.CANCELLED);
        if (result.outcome() == Outcome.REJECTED) {
            attempt.task().avoid(attempt.session().id());
        }
        return record(attempt.task(), result);
    }

    /** The attempt's call failed: timed out, answered with an error, or lost with the connection. */
    void failed(Attempt attempt, Throwable failure) {
        if (failure instanceof TimeoutException) {
            deadlinePassed(attempt);
        } else if (failure instanceof CodecException unreadable) {
            malformedReply(attempt, "answered task.execute with data that does not parse: "
                    + Json.describe("reply", unreadable.getMostSpecificCause()));
        } else if (failure instanceof ApplicationErrorException || failure instanceof ProtocolException) {
            answeredWithError(attempt, ProtocolErrors.fromPeer(failure));
        } else {
            connectionLost(attempt, failure);
        }
        queue.signal();
    }

    /** A refusal costs no attempt; a worker fault may be retried; a bad request is final. */
    void answeredWithError(Attempt attempt, ProtocolException error) {
        Task task = attempt.task();
        if (REFUSALS.contains(error.code())) {
            attempt.end(null, true);
            task.avoid(attempt.session().id());
            record(task, refusal(attempt, error));
            return;
        }
        attempt.end(error, false);
        boolean retryable = error.code() == ErrorCode.INTERNAL || error.code() == ErrorCode.TIMEOUT;
        if (ledger.attemptLost(task, attempt.assignment().attempt(), TaskError.of(error.code(), error.detail(), retryable))) {
            requeue(task, backoff(task, error), "retry");
        }
    }

    void connectionLost(Attempt attempt, Throwable failure) {
        attempt.end(failure, false);
        if (attempt.session().requester().rsocket().isDisposed()) {
            // take the worker out before offering the task again, or it could be offered the task
            registry.remove(attempt.session(), "connection closed");
        }
        TaskError lost = TaskError.of(ErrorCode.INTERNAL, "worker " + attempt.session().id()
                + " was lost during the attempt: " + failure, true);
        if (ledger.attemptLost(attempt.task(), attempt.assignment().attempt(), lost)) {
            requeue(attempt.task(), Duration.ZERO, "worker-lost");
        }
    }

    /**
     * A malformed reply is the worker's fault, not the task's: the attempt ends as a failure of that
     * worker (its breaker counts it), the task goes to another worker as a new attempt, and the
     * registry disconnects a worker that keeps doing it.
     */
    private void malformedReply(Attempt attempt, String what) {
        String why = "worker " + attempt.session().id() + " " + what;
        ProtocolException fault = new ProtocolException(ErrorCode.INTERNAL, why);
        attempt.end(fault, false);
        Task task = attempt.task();
        task.avoid(attempt.session().id());
        registry.fault(attempt.session(), what);
        if (ledger.attemptLost(task, attempt.assignment().attempt(), TaskError.of(ErrorCode.INTERNAL, why, true))) {
            requeue(task, Duration.ZERO, "worker-fault");
        }
    }

    /** Records a result in the ledger and offers the task again if it went back to PENDING. */
    ResultAck record(Task task, TaskResult result) {
        TaskLedger.Recorded recorded = ledger.record(task, result);
        if (recorded.pendingAgain()) {
            boolean refused = result.outcome() == Outcome.REJECTED;
            requeue(task, refused ? properties.requeueDelay() : backoff(task, failureOf(result)),
                    refused ? "refused" : "retry");
        }
        queue.signal();
        return recorded.ack();
    }

    /** Tells a worker to stop an attempt; a failure to tell it changes nothing here. */
    static void cancel(WorkerSession session, TaskCancel cancel) {
        session.requester().route(Routes.TASK_CANCEL).data(cancel).send()
                .subscribe(null, e -> log.debug("task.cancel to {} failed: {}", session.id(), e.toString()));
    }

    /** No answer by the deadline: the attempt ends, and the task moves to another worker if it may. */
    private void deadlinePassed(Attempt attempt) {
        attempt.end(new TimeoutException("no result by the scheduler's deadline"), false);
        Task task = attempt.task();
        int number = attempt.assignment().attempt();
        if (ledger.timedOut(task, number)) {
            cancel(attempt.session(), new TaskCancel(task.id(), number, "no result by the scheduler's deadline"));
            task.avoid(attempt.session().id());
            requeue(task, Duration.ZERO, "no-answer");
        }
    }

    /** Offers a task that went back to PENDING again, after the delay, counting why. */
    private void requeue(Task task, Duration delay, String reason) {
        if (task.status() != TaskStatus.PENDING) {
            return;
        }
        meters.counter("taskwire.tasks.redispatched", "reason", reason).increment();
        if (delay.isZero()) {
            queue.add(task);
        } else {
            Mono.delay(delay).subscribe(tick -> queue.add(task));
        }
    }

    /** The Resilience4j retry backoff for the attempt that just failed (exponential, with jitter). */
    private Duration backoff(Task task, Throwable failure) {
        return Duration.ofMillis(backoff.apply(Math.max(1, task.attemptsSpent()), Either.left(failure)));
    }

    /**
     * Whether a result counts against the worker's breaker: a retryable failure may be the worker's
     * (a missing dependency, a broken disk); a final one (a bad payload) or a timeout it enforced
     * itself shows a worker doing its job.
     */
    private static boolean workersFault(TaskResult result) {
        return result.outcome() == Outcome.FAILED && (result.error() == null || result.error().retryable());
    }

    private static ProtocolException failureOf(TaskResult result) {
        String code = result.error() == null ? ErrorCode.INTERNAL.name() : result.error().code();
        String message = result.error() == null ? result.outcome().name() : result.error().message();
        return new ProtocolException(ErrorCode.fromWire(code), result.outcome() + ": " + message);
    }

    private TaskResult refusal(Attempt attempt, ProtocolException error) {
        TaskAssignment assignment = attempt.assignment();
        return new TaskResult(assignment.taskId(), assignment.attempt(), attempt.session().id(), assignment.fence(),
                Outcome.REJECTED, null, TaskError.of(error.code(), error.detail(), true), clock.instant(), clock.instant());
    }
}
