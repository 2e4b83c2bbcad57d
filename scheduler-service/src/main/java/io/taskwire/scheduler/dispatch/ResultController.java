package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskProgress;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Results a worker delivers on its own initiative ({@code task.result}, {@code task.result.batch}:
 * its outbox after a reconnect), and progress reports. Each result is recorded at most once.
 */
@Controller
class ResultController {

    private static final Logger log = LoggerFactory.getLogger(ResultController.class);

    private final Dispatcher dispatcher;
    private final WorkerRegistry registry;

    ResultController(Dispatcher dispatcher, WorkerRegistry registry) {
        this.dispatcher = dispatcher;
        this.registry = registry;
    }

    @MessageMapping(Routes.TASK_RESULT)
    Mono<ResultAck> result(TaskResult result, RSocketRequester from) {
        registry.sessionOf(result.workerId(), from);
        return dispatcher.deliver(result);
    }

    @MessageMapping(Routes.TASK_RESULT_BATCH)
    Mono<List<ResultAck>> results(List<TaskResult> results, RSocketRequester from) {
        results.forEach(result -> registry.sessionOf(result.workerId(), from));
        // recorded in order, acknowledged together once stored
        return Flux.fromIterable(dispatcher.deliverAll(results))
                .flatMapSequential(ack -> ack, Math.max(1, results.size()), 1)
                .collectList();
    }

    @MessageMapping(Routes.TASK_PROGRESS)
    void progress(TaskProgress progress) {
        log.debug("Task {} attempt {} at {}%: {}", progress.taskId(), progress.attempt(), progress.percent(),
                progress.message());
    }
}
