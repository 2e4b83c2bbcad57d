package io.taskwire.worker.execution;

import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import io.taskwire.messages.TaskCancel;
import io.taskwire.transport.TransportProperties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code task.execute.batch} and {@code task.cancel}, called by the scheduler over the worker's
 * connection; {@code task.execute} is answered ahead of Spring by the {@link TaskExecuteResponder}.
 */
@Controller
class ExecutionController {

    private final TaskRunner runner;
    private final int maxDecodedBytes;

    ExecutionController(TaskRunner runner, TransportProperties transport) {
        this.runner = runner;
        this.maxDecodedBytes = transport.maxPayloadBytes();
    }

    /**
     * A batch that is wrong in any way is refused whole, before any of its tasks starts. Decoding
     * (up to a megabyte of inflating and parsing) runs off the connection's event loop.
     */
    @MessageMapping(Routes.TASK_EXECUTE_BATCH)
    Mono<BatchReceipt> executeBatch(TaskBatch batch) {
        return Mono.fromCallable(() -> start(batch)).subscribeOn(Schedulers.parallel());
    }

    private BatchReceipt start(TaskBatch batch) {
        List<TaskAssignment> assignments = TaskBatches.decode(batch, maxDecodedBytes);
        requireDistinctTasks(assignments);
        return runner.executeAll(assignments);
    }

    @MessageMapping(Routes.TASK_CANCEL)
    void cancel(TaskCancel cancel) {
        runner.cancel(cancel);
    }

    /** The receipt names tasks by id, so one id twice would make it ambiguous. */
    private static void requireDistinctTasks(List<TaskAssignment> assignments) {
        Set<String> seen = new HashSet<>(assignments.size() * 2);
        for (int i = 0; i < assignments.size(); i++) {
            if (!seen.add(assignments.get(i).taskId())) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "invalid TaskBatch: body[" + i + "].taskId "
                        + assignments.get(i).taskId() + " appears twice in the batch");
            }
        }
    }
}
