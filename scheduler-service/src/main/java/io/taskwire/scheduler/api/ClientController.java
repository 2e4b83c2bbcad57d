package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.transport.PeerErrorLog;
import io.taskwire.transport.ProtocolErrors;
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
    Mono<TaskView> submit(TaskSpec spec) {
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

    /**
     * Bad input is refused here, as on the other routes; the task is created once its insert is
     * committed, after this returns (Spring does not subscribe to what a fire-and-forget handler
     * returns). A submission the store could not take is logged, rate-limited: there is nobody to tell.
     */
    @MessageMapping(Routes.TASK_SUBMIT_ONEWAY)
    void submitOneWay(TaskSpec spec) {
        submissions.submit(spec).subscribe(view -> { }, failure -> {
            ProtocolException error = ProtocolErrors.of(failure, "data of " + Routes.TASK_SUBMIT_ONEWAY);
            PeerErrorLog.SHARED.warn("Fire-and-forget " + Routes.TASK_SUBMIT_ONEWAY + " failed with " + error.code(),
                    error.detail());
        });
    }

    @MessageMapping(Routes.TASK_SUBMIT_BATCH)
    Mono<List<TaskView>> submitBatch(List<TaskSpec> specs) {
        return submissions.submitAll(specs);
    }

    @MessageMapping(Routes.TASK_GET)
    Mono<TaskView> get(TaskRef ref) {
        return submissions.get(ref.taskId());
    }

    @MessageMapping(Routes.TASK_ABORT)
    Mono<TaskView> abort(TaskRef ref) {
        return submissions.abort(ref.taskId());
    }

    @MessageMapping(Routes.TASK_WATCH)
    Flux<TaskEvent> watch(WatchFilter filter) {
        return submissions.watch(filter);
    }
}
