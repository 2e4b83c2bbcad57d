package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.ProtocolErrors;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The whole life of every attempt, in one place. A pending task waits in the {@link DispatchQueue}
 * until it gets a worker's slot and a permission of the worker's breaker; it then starts as an
 * attempt with a fence of its own, goes out alone by {@code task.execute} or with the others of its
 * round by {@code task.execute.batch}, and ends exactly once: with its result (a reply or
 * {@code task.result}), the worker's refusal or error, the scheduler's deadline, or the loss of the
 * worker. Every ending is recorded in the {@link TaskLedger}, settles the worker's slot and breaker,
 * and offers the task again when it went back to PENDING.
 *
 * <p>A worker that answers {@code NOT_FOUND} to a batch (one older than batching) started none of
 * it: its attempts go again by {@code task.execute}, and so does everything for that worker from then on.
 */
final class Attempts implements DispatchQueue.Starter {

    private static final Logger log = LoggerFactory.getLogger(Attempts.class);
    /** Why a task is offered again: each {@code requeue} names one of these. */
    private static final List<String> REDISPATCH_REASONS =
            List.of("worker-lost", "no-answer", "refused", "retry", "worker-fault", "not-stored", "restart");

    private final TaskLedger ledger;
    private final WorkerRegistry registry;
    private final WorkerBreakers breakers;
    private final WorkerCalls calls;
    private final DispatchProperties properties;
    private final IntervalBiFunction<Object> backoff;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter batchedTasks;
    private final DispatchQueue queue;
    private final AwaitedResults awaited = new AwaitedResults();
    private volatile boolean stopping;
    /** Tasks loaded dispatched at start whose worker has not re-attached them yet, during the grace period. */
    private final Set<Task> restarting = ConcurrentHashMap.newKeySet();
    /** Workers that answered a batch with {@code NOT_FOUND}: they get every task by {@code task.execute}. */
    private final Set<WorkerSession> withoutBatches = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final Leadership leadership;
    private final Timer takeover;
    /** {@link System#nanoTime()} when the lease before this scheduler's expired, until its first attempt after taking the lead goes. */
    private final AtomicLong sinceLeaseExpired = new AtomicLong();

    /**
     * @param backoff the Resilience4j retry backoff that spaces the attempts of a task that failed
     * @param maxPayloadBytes the limit on a request's data, which a batch stays within
     */
    Attempts(TaskLedger ledger, WorkerRegistry registry, WorkerBreakers breakers, DispatchProperties properties,
             IntervalBiFunction<Object> backoff, Clock clock, int maxPayloadBytes, MeterRegistry meters,
             Leadership leadership) {
        this.ledger = ledger;
        this.leadership = leadership;
        this.takeover = Timer.builder("taskwire.scheduler.takeover")
                .description("From the expiry of the lease before this scheduler's lead to its first attempt sent as"
                        + " leader, when tasks were waiting")
                .register(meters);
        this.registry = registry;
        this.breakers = breakers;
        this.properties = properties;
        this.backoff = backoff;
        this.clock = clock;
        this.meters = meters;
        this.calls = new WorkerCalls(properties.batch(), maxPayloadBytes);
        this.batchedTasks = Counter.builder("taskwire.tasks.batched")
                .description("Attempts sent in a task.execute.batch rather than by task.execute").register(meters);
        this.queue = new DispatchQueue(registry, this, properties.batch().size());
        // every reason from the start, at 0, so that a rate over the first redispatch sees it
        REDISPATCH_REASONS.forEach(this::redispatched);
    }

    /** The queue the pending tasks wait in for a worker. */
    DispatchQueue queue() {
        return queue;
    }

    @Override
    public boolean available(WorkerSession worker) {
        return breakers.admits(worker);
    }

    @Override
    public boolean admit(WorkerSession worker) {
        return breakers.find(worker).map(CircuitBreaker::tryAcquirePermission).orElse(false);
    }

    /**
     * Starts the tasks on the worker: each becomes an attempt, and they go once their dispatch is
     * stored, so that after a crash the store knows every attempt that may be running.
     */
    @Override
    public void start(WorkerSession worker, List<Task> tasks) {
        if (stopping) {
            // the scheduler stops: the tasks stay pending, for the next start
            CircuitBreaker breaker = breakers.find(worker).orElse(null);
            tasks.forEach(task -> {
                worker.releaseSlot();
                if (breaker != null) {
                    breaker.releasePermission();
                }
            });
            return;
        }
        List<Attempt> attempts = begin(worker, tasks);
        if (attempts.isEmpty()) {
            return;
        }
        if (attempts.stream().allMatch(attempt -> ledger.isStored(attempt.task()))) {
            send(worker, attempts); // nothing to wait for: the in-memory mode
            return;
        }
        Mono.when(attempts.stream().map(attempt -> ledger.stored(attempt.task())).toList()).subscribe(null,
                failure -> attempts.forEach(attempt -> end(attempt, new Ending.NotStored(failure))),
                () -> send(worker, attempts));
    }

    private void send(WorkerSession worker, List<Attempt> attempts) {
        if (!leadership.holdsLease()) {
            // the lease ran out after the dispatch was stored: a standby may lead by now, and dispatch these
            // tasks itself after its grace period; this scheduler steps down and sends nothing more
            attempts.forEach(attempt -> attempt.end(null, true));
            return;
        }
        if (sinceLeaseExpired.get() != 0) {
            // the first send after a takeover: read once here, written once per takeover
            long expired = sinceLeaseExpired.getAndSet(0);
            if (expired != 0) {
                takeover.record(System.nanoTime() - expired, TimeUnit.NANOSECONDS);
            }
        }
        if (attempts.size() > 1 && !withoutBatches.contains(worker)) {
            sendBatched(worker, attempts);
        } else {
            attempts.forEach(this::sendAlone);
        }
    }

    /**
     * A result delivered by {@code task.result} (a worker's outbox, or a batched attempt's result).
     *
     * @return the answer for the worker, once what it acknowledges is stored; a result for an
     *         unknown task is acknowledged as stale
     */
    Mono<ResultAck> delivered(TaskResult result) {
        return delivered(result, true);
    }

    /**
     * Results delivered together ({@code task.result.batch}), each recorded as {@link #delivered}
     * records it. The queue looks for free slots once, after all of them: the slots they free are
     * then offered together and leave in batches, rather than a few at a time in a pass per result.
     *
     * @return the answers, in the order of the results
     */
    List<Mono<ResultAck>> deliveredAll(List<TaskResult> results) {
        List<Mono<ResultAck>> acks = new ArrayList<>(results.size());
        try {
            results.forEach(result -> acks.add(delivered(result, false)));
        } finally {
            queue.signal();
        }
        return acks;
    }

    /** @param signal whether the queue looks for free slots at once; false while more results of a batch follow */
    private Mono<ResultAck> delivered(TaskResult result, boolean signal) {
        Attempt attempt = awaited.claim(result);
        if (attempt != null) {
            ResultAck ack = end(attempt, new Ending.Result(result), signal);
            return ledger.stored(attempt.task()).thenReturn(ack);
        }
        // no attempt of this scheduler awaits it (one that ended otherwise meanwhile): the ledger judges it
        Task task = ledger.find(result.taskId()).orElse(null);
        if (task == null) {
            return Mono.just(new ResultAck(result.taskId(), result.attempt(), false, false, true));
        }
        ResultAck ack = record(task, result);
        if (signal) {
            queue.signal();
        }
        // a duplicate too waits for the state it duplicates, so that the worker keeps it until that is stored
        return ledger.stored(task).thenReturn(ack);
    }

    /**
     * Re-attaches the attempts a worker lists in its hello (PROTOCOL.md section 5): one that is its
     * task's current attempt on this worker takes a slot and is awaited as if just sent, so it does
     * not run again; any other gets {@code task.cancel}.
     */
    void reattach(WorkerSession worker) {
        List<RunningAttempt> listed = worker.hello().running();
        CircuitBreaker breaker = breakers.find(worker).orElse(null);
        if (listed.isEmpty() || breaker == null) {
            return;
        }
        int reattached = 0;
        for (RunningAttempt running : listed) {
            Task task = ledger.find(running.taskId()).orElse(null);
            TaskAssignment assignment = task == null ? null
                    : ledger.runningAttempt(task, worker.id(), running.attempt(), running.fence()).orElse(null);
            if (assignment == null) {
                WorkerCalls.cancel(worker, new TaskCancel(running.taskId(), running.attempt(),
                        "not the task's current attempt"));
                continue;
            }
            reattached++;
            if (!breaker.tryAcquirePermission()) {
                continue; // not awaited: its result is recorded by the ledger when it comes, else the grace ends it
            }
            if (!worker.tryReserveSlot()) {
                breaker.releasePermission();
                continue;
            }
            watchDeadline(awaited.add(new Attempt(task, worker, assignment, breaker)));
            restarting.remove(task);
        }
        log.info("Worker {} listed {} attempts in its hello: {} re-attached, {} not current and cancelled", worker.id(),
                listed.size(), reattached, listed.size() - reattached);
    }

    /**
     * Goes on with the unfinished tasks loaded from the store at start. Pending ones are queued. A
     * dispatched one may still be running on its worker: when the worker re-attaches it, or its
     * result comes, within the grace period, it does not run again; otherwise the attempt is lost as
     * with a lost worker, and the task goes again.
     */
    void resume(List<Task> restored, long leaseExpired) {
        if (!restored.isEmpty()) {
            sinceLeaseExpired.set(leaseExpired);
        }
        queue.addAll(restored.stream().filter(task -> task.status() == TaskStatus.PENDING).toList());
        restored.stream().filter(task -> task.status() == TaskStatus.DISPATCHED).forEach(restarting::add);
    }

    /** The workers can connect from now on: the grace period of the dispatched tasks loaded at start begins. */
    void startGrace(Duration grace) {
        if (restarting.isEmpty()) {
            return;
        }
        Mono.delay(grace).subscribe(tick -> List.copyOf(restarting).forEach(task -> {
            restarting.remove(task);
            TaskView view = task.view();
            TaskError lost = TaskError.of(ErrorCode.INTERNAL, "the scheduler restarted during attempt " + view.attempt()
                    + " and worker " + view.workerId() + " did not deliver its result within " + grace.toMillis() + " ms", true);
            if (ledger.attemptLost(task, view.attempt(), lost)) {
                requeue(task, Duration.ZERO, "restart");
            }
        }));
    }

    /**
     * The scheduler stops: from now on it starts no attempt, and the connections it closes as it
     * goes end none. The attempts running on workers stay DISPATCHED in the store, for the workers
     * to re-attach them to the next start.
     */
    void stop() {
        stopping = true;
    }

    /** The worker left: each of its attempts still awaited ends as lost with the connection. */
    void workerLeft(WorkerSession worker) {
        withoutBatches.remove(worker);
        ClosedChannelException closed = new ClosedChannelException();
        awaited.claimAll(worker).forEach(attempt -> end(attempt, new Ending.Lost(closed)));
        queue.signal();
    }

    // ---- starting and sending

    /** Marks each task dispatched with a new fence; a task that cannot go gives back its slot. */
    private List<Attempt> begin(WorkerSession worker, List<Task> tasks) {
        CircuitBreaker breaker = breakers.find(worker).orElse(null);
        List<Attempt> attempts = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            TaskAssignment assignment = breaker == null ? null
                    : ledger.dispatch(task, worker.id(), fence());
            if (assignment != null) {
                attempts.add(new Attempt(task, worker, assignment, breaker));
                continue;
            }
            worker.releaseSlot();
            if (breaker == null) {
                queue.add(task); // the worker left during the round: offer the task again
            } else {
                breaker.releasePermission(); // aborted meanwhile
            }
        }
        return attempts;
    }

    /** A new fence: the epoch of this scheduler's lead, then a sequence, so that fences never repeat. */
    private String fence() {
        return ledger.epoch() + ":" + sequence.incrementAndGet();
    }

    private void sendAlone(Attempt attempt) {
        try {
            AwaitedResults.Awaited wait = awaited.add(attempt);
            watchDeadline(wait);
            awaited.attach(wait, calls.execute(attempt).subscribe(
                    result -> replied(attempt, result),
                    failure -> callFailed(attempt, failure)));
        } catch (RuntimeException notSent) {
            // the attempt must end even if the call could not be made, or the task stays DISPATCHED
            log.error("Could not send task {} to {}", attempt.task().id(), attempt.session().id(), notSent);
            callFailed(attempt, new ProtocolException(ErrorCode.INTERNAL, "could not send the task: " + notSent));
        }
    }

    /** Sends the attempts in as few batches as the payload limit allows; one that must go alone goes alone. */
    private void sendBatched(WorkerSession worker, List<Attempt> attempts) {
        for (BatchEncoder.Request request : calls.batches(worker, attempts)) {
            List<Attempt> part = attempts.subList(request.from(), request.to());
            if (request.batch() == null) {
                part.forEach(this::sendAlone);
            } else {
                sendBatch(worker, List.copyOf(part), request.batch());
            }
        }
    }

    /** Every attempt awaits its result before the call goes: a fast worker may answer before the receipt. */
    private void sendBatch(WorkerSession worker, List<Attempt> attempts, TaskBatch batch) {
        batchedTasks.increment(attempts.size());
        try {
            attempts.forEach(attempt -> watchDeadline(awaited.add(attempt)));
            calls.executeBatch(worker, batch)
                    .timeout(attempts.stream().map(this::deadline).max(Duration::compareTo).orElseThrow())
                    .subscribe(receipt -> receiptArrived(attempts, receipt),
                            failure -> batchFailed(worker, attempts, failure));
        } catch (RuntimeException notSent) {
            log.error("Could not send a batch of {} tasks to {}", attempts.size(), worker.id(), notSent);
            batchFailed(worker, attempts, new ProtocolException(ErrorCode.INTERNAL, "could not send the batch: " + notSent));
        }
    }

    /** Past the deadline the attempt ends as unanswered, whatever its call is doing. */
    private void watchDeadline(AwaitedResults.Awaited wait) {
        Attempt attempt = wait.attempt();
        awaited.attach(wait, Schedulers.parallel().schedule(() -> {
            if (awaited.claim(wait)) {
                end(attempt, new Ending.Unanswered());
            }
        }, deadline(attempt).toMillis(), TimeUnit.MILLISECONDS));
    }

    private Duration deadline(Attempt attempt) {
        return attempt.task().timeout().plus(properties.resultGrace());
    }

    private void replied(Attempt attempt, TaskResult result) {
        if (awaited.claim(attempt)) {
            end(attempt, Ending.ofReply(attempt, result));
        }
    }

    private void callFailed(Attempt attempt, Throwable failure) {
        if (awaited.claim(attempt)) {
            end(attempt, Ending.ofFailure(failure));
        }
    }

    /** Refused tasks end as a refused {@code task.execute}; accepted ones go on waiting for their results. */
    private void receiptArrived(List<Attempt> attempts, BatchReceipt receipt) {
        Set<String> accepted = new HashSet<>(receipt.accepted());
        Map<String, String> refused = new HashMap<>();
        receipt.rejected().forEach(rejection -> refused.put(rejection.taskId(), rejection.code()));
        for (Attempt attempt : attempts) {
            String id = attempt.task().id();
            if (!accepted.contains(id) && awaited.claim(attempt)) {
                end(attempt, Ending.ofReceipt(attempt, refused.get(id)));
            }
        }
    }

    /** The batch call failed: each attempt not yet ended ends as its own failed {@code task.execute} would. */
    private void batchFailed(WorkerSession worker, List<Attempt> attempts, Throwable failure) {
        boolean unknownRoute = ProtocolErrors.fromPeer(failure).code() == ErrorCode.NOT_FOUND;
        if (unknownRoute && withoutBatches.add(worker)) {
            log.info("Worker {} does not know {}; sending it tasks one at a time", worker.id(),
                    Routes.TASK_EXECUTE_BATCH);
        }
        for (Attempt attempt : attempts) {
            if (!unknownRoute) {
                callFailed(attempt, failure);
            } else if (awaited.claim(attempt)) {
                sendAlone(attempt);
            }
        }
    }

    // ---- ending

    /**
     * Ends an attempt this class has claimed, once: settles the worker's slot and breaker, records
     * the ending in the ledger, and offers the task again if it went back to PENDING.
     *
     * @return the acknowledgement of a result; null for any other ending
     */
    private ResultAck end(Attempt attempt, Ending ending) {
        return end(attempt, ending, true);
    }

    /** @param signal whether the queue looks for free slots at once; false while more endings of a batch follow */
    private ResultAck end(Attempt attempt, Ending ending, boolean signal) {
        if (stopping && !(ending instanceof Ending.Result)) {
            // the scheduler stops and closes the connection itself: the attempt goes on, for the next start
            attempt.end(null, true);
            return null;
        }
        Task task = attempt.task();
        String worker = attempt.session().id();
        ResultAck ack = null;
        if (ending instanceof Ending.Result ended) {
            TaskResult result = ended.result();
            attempt.end(workersFault(result) ? failureOf(result) : null,
                    result.outcome() == Outcome.REJECTED || result.outcome() == Outcome.CANCELLED);
            if (result.outcome() == Outcome.REJECTED) {
                ledger.avoid(task, worker);
            }
            ack = record(task, result);
        } else if (ending instanceof Ending.Refused refused) {
            attempt.end(null, true);
            ledger.avoid(task, worker);
            record(task, refusal(attempt, refused.why()));
        } else if (ending instanceof Ending.ErrorAnswer error) {
            attempt.end(error.why(), false);
            boolean retryable = error.why().code() == ErrorCode.INTERNAL || error.why().code() == ErrorCode.TIMEOUT;
            spend(attempt, TaskError.of(error.why().code(), error.why().detail(), retryable), error.why(), "retry");
        } else if (ending instanceof Ending.NotStored notStored) {
            attempt.end(null, true);
            if (ledger.notSent(task, attempt.assignment().attempt())) {
                requeue(task, properties.requeueDelay(), "not-stored");
            }
        } else if (ending instanceof Ending.Lost lost) {
            attempt.end(lost.failure(), false);
            if (attempt.session().requester().rsocket().isDisposed()) {
                // take the worker out before offering the task again, or it could be offered the task
                registry.remove(attempt.session(), "connection closed");
            }
            spend(attempt, TaskError.of(ErrorCode.INTERNAL, "worker " + worker + " was lost during the attempt: "
                    + lost.failure(), true), null, "worker-lost");
        } else if (ending instanceof Ending.Malformed malformed) {
            // the worker's fault: its breaker counts it, and the registry disconnects a worker that keeps at it
            String why = "worker " + worker + " " + malformed.what();
            attempt.end(new ProtocolException(ErrorCode.INTERNAL, why), false);
            ledger.avoid(task, worker);
            registry.fault(attempt.session(), malformed.what());
            spend(attempt, TaskError.of(ErrorCode.INTERNAL, why, true), null, "worker-fault");
        } else if (ending instanceof Ending.Unanswered) {
            attempt.end(new TimeoutException("no result by the scheduler's deadline"), false);
            int number = attempt.assignment().attempt();
            if (ledger.timedOut(task, number)) {
                WorkerCalls.cancel(attempt.session(), new TaskCancel(task.id(), number, "no result by the scheduler's deadline"));
                ledger.avoid(task, worker);
                requeue(task, Duration.ZERO, "no-answer");
            }
        }
        if (signal) {
            queue.signal();
        }
        return ack;
    }

    /**
     * The attempt ended without a result and counts against the task's attempts.
     *
     * @param backoffFor the failure whose retry backoff the task waits; null to offer it again at once
     */
    private void spend(Attempt attempt, TaskError error, Throwable backoffFor, String reason) {
        Task task = attempt.task();
        if (ledger.attemptLost(task, attempt.assignment().attempt(), error)) {
            requeue(task, backoffFor == null ? Duration.ZERO : backoff(task, backoffFor), reason);
        }
    }

    /** Records a result in the ledger and offers the task again if it went back to PENDING. */
    private ResultAck record(Task task, TaskResult result) {
        TaskLedger.Recorded recorded = ledger.record(task, result);
        if (recorded.pendingAgain()) {
            boolean refused = result.outcome() == Outcome.REJECTED;
            requeue(task, refused ? properties.requeueDelay() : backoff(task, failureOf(result)),
                    refused ? "refused" : "retry");
        }
        return recorded.ack();
    }

    private Counter redispatched(String reason) {
        return Counter.builder("taskwire.tasks.redispatched").description("Tasks offered again, by why")
                .tag("reason", reason).register(meters);
    }

    /** Offers a task that went back to PENDING again, after the delay, counting why. */
    private void requeue(Task task, Duration delay, String reason) {
        if (task.status() != TaskStatus.PENDING) {
            return;
        }
        redispatched(reason).increment();
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
