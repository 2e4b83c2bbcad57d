package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.Encoding;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The calls an attempt makes over its worker's own connection, and nothing more: what an answer or
 * a failure means for the attempt is for {@link Attempts} to decide.
 */
final class WorkerCalls {

    private static final Logger log = LoggerFactory.getLogger(WorkerCalls.class);

    private final BatchEncoder encoder;

    WorkerCalls(DispatchProperties.Batch batch, int maxPayloadBytes) {
        this.encoder = new BatchEncoder(batch, maxPayloadBytes);
    }

    /** {@code task.execute}: the worker runs the attempt and answers with its result. */
    Mono<TaskResult> execute(Attempt attempt) {
        return attempt.session().requester().route(Routes.TASK_EXECUTE)
                .data(attempt.assignment())
                .retrieveMono(TaskResult.class);
    }

    /**
     * @param attempts for one worker, in the order they should run
     * @return requests that fit the payload limit, covering the attempts in order; one without a batch
     *         carries a single attempt, which goes by {@link #execute}
     */
    List<BatchEncoder.Request> batches(WorkerSession session, List<Attempt> attempts) {
        List<TaskAssignment> assignments = attempts.stream().map(Attempt::assignment).toList();
        List<String> encodings = session.hello().encodings();
        boolean zstd = encodings != null && encodings.contains(Encoding.ZSTD.wireName());
        return encoder.requests(assignments, zstd);
    }

    /** {@code task.execute.batch}: the worker answers with a receipt, and each result comes by {@code task.result}. */
    Mono<BatchReceipt> executeBatch(WorkerSession session, TaskBatch batch) {
        return session.requester().route(Routes.TASK_EXECUTE_BATCH)
                .data(batch)
                .retrieveMono(BatchReceipt.class);
    }

    /** {@code task.cancel}: tells a worker to stop an attempt; a failure to tell it changes nothing here. */
    static void cancel(WorkerSession session, TaskCancel cancel) {
        session.requester().route(Routes.TASK_CANCEL).data(cancel).send()
                .subscribe(null, e -> log.debug("task.cancel to {} failed: {}", session.id(), e.toString()));
    }
}
