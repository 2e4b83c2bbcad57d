package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Sends what one pass of the {@link DispatchQueue} gives a worker: each task becomes an attempt
 * with a fence of its own, sent alone by {@code task.execute} or with the others of the round by
 * {@code task.execute.batch} ({@link BatchDispatch}). It knows which attempts still wait, so that a
 * result by {@code task.result} can end the one it belongs to; the {@link AttemptEndings} end them.
 */
final class AttemptSender {

    private static final Logger log = LoggerFactory.getLogger(AttemptSender.class);

    private final TaskLedger ledger;
    private final WorkerBreakers breakers;
    private final DispatchProperties properties;
    private final DispatchQueue queue;
    private final AttemptEndings endings;
    private final BatchDispatch batches;
    /** Single {@code task.execute} calls awaiting their reply (or their result by {@code task.result}). */
    private final AwaitedResults calls = new AwaitedResults();
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();

    AttemptSender(TaskLedger ledger, WorkerBreakers breakers, DispatchProperties properties, DispatchQueue queue,
                  AttemptEndings endings, int maxPayloadBytes, MeterRegistry meters) {
        this.ledger = ledger;
        this.breakers = breakers;
        this.properties = properties;
        this.queue = queue;
        this.endings = endings;
        this.batches = new BatchDispatch(properties, maxPayloadBytes, meters, new Endings());
    }

    /** Called by the queue for each task it gives a worker: takes a permission of the worker's breaker. */
    boolean permits(WorkerSession session) {
        return breakers.find(session).map(CircuitBreaker::tryAcquirePermission).orElse(false);
    }

    /** Called by the queue with the tasks of one round for a worker, each holding a slot and a permission. */
    void send(WorkerSession session, List<Task> tasks) {
        List<Attempt> attempts = attempts(session, tasks);
        if (attempts.size() == 1) {
            execute(attempts.get(0));
        } else if (!attempts.isEmpty()) {
            batches.send(session, attempts);
        }
    }

    /** @return the attempt a result belongs to, if it still waits (batched or on a reply); claimed */
    Attempt claim(TaskResult result) {
        Attempt awaited = batches.claim(result);
        return awaited != null ? awaited : calls.claim(result);
    }

    /** @return the batched attempts still waiting on a worker's session; claimed */
    List<Attempt> claimBatched(WorkerSession session) {
        return batches.claimAll(session);
    }

    /** Marks each task dispatched with a new fence; a task that cannot go gives back its slot. */
    private List<Attempt> attempts(WorkerSession session, List<Task> tasks) {
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
        return attempts;
    }

    private void execute(Attempt attempt) {
        try {
            calls.awaitReply(attempt, () -> call(attempt));
        } catch (RuntimeException notSent) {
            // the attempt must end even if the call could not be made, or the task stays DISPATCHED
            log.error("Could not send task {} to {}", attempt.task().id(), attempt.session().id(), notSent);
            if (calls.claim(attempt)) {
                endings.failed(attempt, new ProtocolException(ErrorCode.INTERNAL, "could not send the task: " + notSent));
            }
        }
    }

    private Disposable call(Attempt attempt) {
        return attempt.session().requester().route(Routes.TASK_EXECUTE)
                .data(attempt.assignment())
                .retrieveMono(TaskResult.class)
                .timeout(attempt.task().timeout().plus(properties.resultGrace()))
                .subscribe(result -> {
                    if (calls.claim(attempt)) {
                        endings.ended(attempt, result);
                    }
                }, failure -> {
                    if (calls.claim(attempt)) {
                        endings.failed(attempt, failure);
                    }
                });
    }

    /** Ends batched attempts exactly as single ones. */
    private final class Endings implements BatchDispatch.Endings {

        @Override
        public void sendAlone(Attempt attempt) {
            execute(attempt);
        }

        @Override
        public void refused(Attempt attempt, ProtocolException why) {
            endings.answeredWithError(attempt, why);
        }

        @Override
        public void failed(Attempt attempt, Throwable failure) {
            endings.failed(attempt, failure);
        }

        @Override
        public void signal() {
            queue.signal();
        }
    }
}
