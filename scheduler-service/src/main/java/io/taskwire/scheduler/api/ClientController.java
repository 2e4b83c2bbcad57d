package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.util.List;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The client routes of PROTOCOL.md section 3, in all three modes plus the watch stream. */
@Controller
class ClientController {

    private final Submissions submissions;

    ClientController(Submissions submissions) {
        this.submissions = submissions;
    }

    @MessageMapping(Routes.TASK_SUBMIT)
    TaskView submit(TaskSpec spec) {
        return submissions.submit(spec);
    }

    @MessageMapping(Routes.TASK_SUBMIT_AWAIT)
    Mono<TaskView> submitAndAwait(TaskSpec spec) {
        return submissions.submitAndAwait(spec, submissions.awaitFor(spec)).map(view -> {
            if (!view.status().isFinal()) {
                throw new ProtocolException(ErrorCode.TIMEOUT, "task " + view.taskId() + " is still " + view.status()
                        + " after awaitMs; read it later with task.get");
            }
            return view;
        });
    }

    @MessageMapping(Routes.TASK_SUBMIT_ONEWAY)
    void submitOneWay(TaskSpec spec) {
        submissions.submit(spec);
    }

    @MessageMapping(Routes.TASK_SUBMIT_BATCH)
    List<TaskView> submitBatch(List<TaskSpec> specs) {
        return submissions.submitAll(specs);
    }

    @MessageMapping(Routes.TASK_GET)
    TaskView get(TaskRef ref) {
        return submissions.get(ref.taskId());
    }

    @MessageMapping(Routes.TASK_ABORT)
    TaskView abort(TaskRef ref) {
        return submissions.abort(ref.taskId());
    }

    @MessageMapping(Routes.TASK_WATCH)
    Flux<TaskEvent> watch(WatchFilter filter) {
        return submissions.watch(filter);
    }
}
