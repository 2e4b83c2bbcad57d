package io.taskwire.worker.execution;

import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code task.execute} and {@code task.cancel}, called by the scheduler over the worker's connection. */
@Controller
class ExecutionController {

    private final TaskRunner runner;

    ExecutionController(TaskRunner runner) {
        this.runner = runner;
    }

    @MessageMapping(Routes.TASK_EXECUTE)
    Mono<TaskResult> execute(TaskAssignment assignment, RSocketRequester scheduler) {
        return runner.execute(assignment, scheduler.rsocket());
    }

    @MessageMapping(Routes.TASK_CANCEL)
    void cancel(TaskCancel cancel) {
        runner.cancel(cancel);
    }
}
