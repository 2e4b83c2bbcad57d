package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerDraining;
import io.taskwire.scheduler.registry.WorkerJoined;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.ProtocolErrors;
import io.taskwire.transport.TransportProperties;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sends pending tasks to workers and handles how each attempt ends. The decisions are made by the
 * {@link DispatchQueue} on one thread; each attempt is a {@code task.execute} call over the worker's
 * own connection that ends exactly once: with a result, with the scheduler's deadline, or with the
 * connection (then the task is offered again as a new attempt, as long as attempts remain).
 *
 * <p>Several tasks one pass gives the same worker go in one {@code task.execute.batch}
 * ({@link BatchDispatch}); their attempts end through the same methods as single calls, their
 * results arriving by {@code task.result} ({@link #deliver}).
 */
@Component
public class Dispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Name of the Resilience4j retry configuration whose backoff spaces retries of failed attempts. */
    static final String RETRY = "dispatch";
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.AT_CAPACITY, ErrorCode.DRAINING,
            ErrorCode.UNKNOWN_TASK_TYPE);

    private final TaskLedger ledger;
    private final WorkerRegistry registry;
    private final DispatchProperties properties;
    private final Clock clock;
    private final DispatchQueue queue;
    private final WorkerBreakers breakers;
    private final IntervalBiFunction<Object> backoff;
    private final MeterRegistry meters;
    private final BatchDispatch batches;
    /** Single {@code task.execute} calls awaiting their reply (or their result by {@code task.result}). */
    private final AwaitedResults calls = new AwaitedResults();
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();

    Dispatcher(TaskLedger ledger, WorkerRegistry registry, DispatchProperties properties, Clock clock,
               WorkerBreakers breakers, RetryRegistry retries, MeterRegistry meters, TransportProperties transport) {
        this.meters = meters;
        this.ledger = ledger;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
        this.breakers = breakers;
        this.backoff = retries.retry(RETRY, RETRY).getRetryConfig().getIntervalBiFunction();
        this.batches = new BatchDispatch(properties, transport.maxPayloadBytes(), meters, new Endings());
        this.queue = new DispatchQueue(registry, this::permits, this::send, breakers::admits, properties.batch().size());
    }

    /** Offers a pending task to the workers; it waits in the queue until one can take it. */
    public void enqueue(Task task) {
        queue.add(task);
    }

    /** Offers tasks together, so that the dispatcher can send those for one worker in one batch. */
    public void enqueueAll(List<Task> tasks) {
        queue.addAll(tasks);
    }

    /** @return tasks waiting for a worker */
    public int queued() {
        return queue.size();
    }

    /**
     * Records a result delivered by {@code task.result} (a worker's outbox), once, and counts how it
     * was acknowledged ({@code taskwire.results.delivered}, tag {@code ack}: accepted, duplicate, stale).
     *
     * @return the answer for the worker; a result for an unknown task is acknowledged as stale
     */
    public ResultAck deliver(TaskResult result) {
        // the attempt it ends, if that attempt still waits: in a batch, or on a task.execute reply
        Attempt awaited = batches.claim(result);
        if (awaited == null) {
            awaited = calls.claim(result);
        }
        ResultAck ack = awaited != null ? ended(awaited, result) : ledger.find(result.taskId())
                .map(task -> record(task, result))
                .orElseGet(() -> new ResultAck(result.taskId(), result.attempt(), false, false, true));
        String kind = ack.stale() ? "stale" : ack.duplicate() ? "duplicate" : "accepted";
        meters.counter("taskwire.results.delivered", "ack", kind).increment();
        return ack;
    }

    /** Stops the running attempt of a task a client aborted. */
    public void cancelRunning(TaskView before) {
        if (before.status() == TaskStatus.DISPATCHED) {
            registry.find(before.workerId()).ifPresent(session ->
                    cancel(session, new TaskCancel(before.taskId(), before.attempt(), "aborted by a client")));
        }
    }

    @Override
    public void destroy() {
        queue.shutdown();
    }

    @EventListener
    void on(WorkerJoined joined) {
        queue.signal();
    }

    @EventListener
    void on(WorkerLeft left) {
        // its single attempts end through their own calls, which fail as the connection closes
        ClosedChannelException closed = new ClosedChannelException();
        batches.claimAll(left.session()).forEach(attempt -> connectionLost(attempt, closed));
        queue.signal();
    }

    @EventListener
    void on(WorkerDraining draining) {
        queue.signal();
    }

    @EventListener
    void on(WorkerBreakers.BreakerTransitioned transitioned) {
        queue.signal();
    }

    /** Called by the queue for each task it gives a worker: takes a permission of the worker's breaker. */
    private boolean permits(WorkerSession session) {
        return breakers.find(session).map(CircuitBreaker::tryAcquirePermission).orElse(false);
    }

    /** Called by the queue with the tasks of one round for a worker, each holding a slot and a permission. */
    private void send(WorkerSession session, List<Task> tasks) {
        CircuitBreaker breaker = breakers.find(session).orElse(null);
        List<Attempt> attempts = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            TaskAssignment assignment = breaker == null ? null
                    : ledger.dispatch(task, session.id(), epoch + ":" + sequence.incrementAndGet());
            if (assignment != null) {
                attempts.add(new Attempt(task, session, assignment, breaker));
                continue;
            }
            session.releaseSlot();
            if (breaker == null) {
                queue.add(task); // the worker left during the round: offer the task again
            } else {
                breaker.releasePermission(); // aborted meanwhile
            }
        }
        if (attempts.size() == 1) {
            execute(attempts.get(0));
        } else if (!attempts.isEmpty()) {
            batches.send(session, attempts);
        }
    }

    private void execute(Attempt attempt) {
        Task task = attempt.task();
        WorkerSession session = attempt.session();
        try {
            calls.awaitReply(attempt, () -> session.requester().route(Routes.TASK_EXECUTE)
                    .data(attempt.assignment())
                    .retrieveMono(TaskResult.class)
                    .timeout(task.timeout().plus(properties.resultGrace()))
                    .subscribe(result -> {
                        if (calls.claim(attempt)) {
                            ended(attempt, result);
                        }
                    }, failure -> {
                        if (calls.claim(attempt)) {
                            failed(attempt, failure);
                        }
                    }));
        } catch (RuntimeException notSent) {
            // the attempt must end even if the call could not be made, or the task stays DISPATCHED
            log.error("Could not send task {} to {}", task.id(), session.id(), notSent);
            if (calls.claim(attempt)) {
                failed(attempt, new ProtocolException(ErrorCode.INTERNAL, "could not send the task: " + notSent));
            }
        }
    }

    private ResultAck ended(Attempt attempt, TaskResult result) {
        if (!result.taskId().equals(attempt.task().id()) || result.attempt() != attempt.assignment().attempt()
                || !result.fence().equals(attempt.assignment().fence())) {
            failed(attempt, new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "worker answered task.execute with the result of another attempt"));
            return null;
        }
        attempt.end(workersFault(result) ? failureOf(result) : null,
                result.outcome() == Outcome.REJECTED || result.outcome() == Outcome.CANCELLED);
        if (result.outcome() == Outcome.REJECTED) {
            attempt.task().avoid(attempt.session().id());
        }
        return record(attempt.task(), result);
    }

    private void failed(Attempt attempt, Throwable failure) {
        if (failure instanceof TimeoutException) {
            deadlinePassed(attempt);
        } else if (failure instanceof ApplicationErrorException || failure instanceof ProtocolException) {
            answeredWithError(attempt, ProtocolErrors.fromPeer(failure));
        } else {
            connectionLost(attempt, failure);
        }
        queue.signal();
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

    /** A refusal costs no attempt; a worker fault may be retried; a bad request is final. */
    private void answeredWithError(Attempt attempt, ProtocolException error) {
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

    private void connectionLost(Attempt attempt, Throwable failure) {
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

    private static void cancel(WorkerSession session, TaskCancel cancel) {
        session.requester().route(Routes.TASK_CANCEL).data(cancel).send()
                .subscribe(null, e -> log.debug("task.cancel to {} failed: {}", session.id(), e.toString()));
    }

    private ResultAck record(Task task, TaskResult result) {
        TaskLedger.Recorded recorded = ledger.record(task, result);
        if (recorded.pendingAgain()) {
            boolean refused = result.outcome() == Outcome.REJECTED;
            requeue(task, refused ? properties.requeueDelay() : backoff(task, failureOf(result)),
                    refused ? "refused" : "retry");
        }
        queue.signal();
        return recorded.ack();
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

    /** Ends batched attempts exactly as single ones. */
    private final class Endings implements BatchDispatch.Endings {

        @Override
        public void sendAlone(Attempt attempt) {
            execute(attempt);
        }

        @Override
        public void refused(Attempt attempt, ProtocolException why) {
            answeredWithError(attempt, why);
        }

        @Override
        public void failed(Attempt attempt, Throwable failure) {
            Dispatcher.this.failed(attempt, failure);
        }

        @Override
        public void signal() {
            queue.signal();
        }
    }
}
