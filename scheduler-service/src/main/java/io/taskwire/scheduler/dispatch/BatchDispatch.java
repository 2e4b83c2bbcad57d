package io.taskwire.scheduler.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.Encoding;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.transport.ProtocolErrors;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends several attempts for one worker by {@code task.execute.batch}. Each attempt awaits its
 * {@code task.result} under the deadline a {@code task.execute} call would have, and ends the way
 * that call would: a refusal in the receipt as a refused call, a failed batch call as a failed call,
 * no result by the deadline as a call that timed out. The {@link AttemptEndings} do the ending.
 *
 * <p>A worker that answers {@code NOT_FOUND} (one older than batching) started none of the batch:
 * its attempts go again by {@code task.execute}, and so does everything for that worker from then on.
 */
final class BatchDispatch {

    private static final Logger log = LoggerFactory.getLogger(BatchDispatch.class);

    private final BatchEncoder encoder;
    private final AwaitedResults awaited = new AwaitedResults();
    private final Set<WorkerSession> withoutBatches = ConcurrentHashMap.newKeySet();
    private final Duration resultGrace;
    private final Counter batchedTasks;
    private final Endings endings;

    BatchDispatch(DispatchProperties properties, int maxPayloadBytes, MeterRegistry meters, Endings endings) {
        this.encoder = new BatchEncoder(properties.batch(), maxPayloadBytes);
        this.resultGrace = properties.resultGrace();
        this.endings = endings;
        this.batchedTasks = Counter.builder("taskwire.tasks.batched")
                .description("Attempts sent in a task.execute.batch rather than by task.execute").register(meters);
    }

    /** Sends the attempts in as few batches as the payload limit allows; one that must go alone goes alone. */
    void send(WorkerSession session, List<Attempt> attempts) {
        if (withoutBatches.contains(session)) {
            attempts.forEach(endings::sendAlone);
            return;
        }
        List<TaskAssignment> assignments = attempts.stream().map(Attempt::assignment).toList();
        List<String> encodings = session.hello().encodings();
        boolean zstd = encodings != null && encodings.contains(Encoding.ZSTD.wireName());
        for (BatchEncoder.Request request : encoder.requests(assignments, zstd)) {
            List<Attempt> part = attempts.subList(request.from(), request.to());
            if (request.batch() == null) {
                part.forEach(endings::sendAlone);
            } else {
                send(session, List.copyOf(part), request.batch());
            }
        }
    }

    /** @return the awaited attempt this result ends, now the caller's to end; null when it ends none */
    Attempt claim(TaskResult result) {
        return awaited.claim(result);
    }

    /** @return the attempts awaited from a worker that left, now the caller's to end */
    List<Attempt> claimAll(WorkerSession session) {
        withoutBatches.remove(session);
        return awaited.claimAll(session);
    }

    /** Every attempt awaits its result before the call goes: a fast worker may answer before the receipt. */
    private void send(WorkerSession session, List<Attempt> attempts, TaskBatch batch) {
        Duration longest = Duration.ZERO;
        for (Attempt attempt : attempts) {
            Duration deadline = attempt.task().timeout().plus(resultGrace);
            awaited.await(attempt, deadline, late -> endings.failed(late, new TimeoutException("no result by the deadline")));
            longest = deadline.compareTo(longest) > 0 ? deadline : longest;
        }
        batchedTasks.increment(attempts.size());
        try {
            session.requester().route(Routes.TASK_EXECUTE_BATCH)
                    .data(batch)
                    .retrieveMono(BatchReceipt.class)
                    .timeout(longest)
                    .subscribe(receipt -> received(attempts, receipt), failure -> failed(session, attempts, failure));
        } catch (RuntimeException notSent) {
            log.error("Could not send a batch of {} tasks to {}", attempts.size(), session.id(), notSent);
            failed(session, attempts, new ProtocolException(ErrorCode.INTERNAL, "could not send the batch: " + notSent));
        }
    }

    /** Refused tasks end as a refused {@code task.execute}; accepted ones go on waiting for their results. */
    private void received(List<Attempt> attempts, BatchReceipt receipt) {
        Set<String> accepted = new HashSet<>(receipt.accepted());
        Map<String, String> refused = new HashMap<>();
        receipt.rejected().forEach(rejection -> refused.put(rejection.taskId(), rejection.code()));
        for (Attempt attempt : attempts) {
            String id = attempt.task().id();
            if (!accepted.contains(id) && awaited.claim(attempt)) {
                endings.refused(attempt, refusal(attempt, refused.get(id)));
            }
        }
        endings.signal();
    }

    private static ProtocolException refusal(Attempt attempt, String code) {
        String worker = "worker " + attempt.session().id();
        return code != null
                ? new ProtocolException(ErrorCode.fromWire(code), worker + " refused the task in a batch: " + code)
                : new ProtocolException(ErrorCode.INTERNAL, worker + " neither accepted nor refused the task in its receipt");
    }

    /** The batch call failed: each attempt not yet ended ends as its own failed {@code task.execute} would. */
    private void failed(WorkerSession session, List<Attempt> attempts, Throwable failure) {
        boolean unknownRoute = ProtocolErrors.fromPeer(failure).code() == ErrorCode.NOT_FOUND;
        if (unknownRoute && withoutBatches.add(session)) {
            log.info("Worker {} does not know {}; sending it tasks one at a time", session.id(),
                    Routes.TASK_EXECUTE_BATCH);
        }
        for (Attempt attempt : attempts) {
            if (!awaited.claim(attempt)) {
                continue;
            }
            if (unknownRoute) {
                endings.sendAlone(attempt);
            } else {
                endings.failed(attempt, failure);
            }
        }
    }

    /** How attempts end ({@link AttemptEndings}), the same for batched ones as for single calls. */
    interface Endings {

        /** Sends the attempt by {@code task.execute}. */
        void sendAlone(Attempt attempt);

        /** The worker answered the attempt with an error (a refusal among them). */
        void refused(Attempt attempt, ProtocolException why);

        /** The attempt's call failed: timed out, answered with an error, or lost with the connection. */
        void failed(Attempt attempt, Throwable failure);

        /** Slots were freed or tasks requeued: the queue should run a pass. */
        void signal();
    }
}
