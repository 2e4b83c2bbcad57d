package io.taskwire.scheduler.registry;

import io.taskwire.messages.DrainReply;
import io.taskwire.messages.DrainRequest;
import io.taskwire.messages.Routes;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;

/** {@code worker.drain}: a worker asks for no new tasks (before it shuts down, say). */
@Controller
class DrainController {

    private final WorkerRegistry registry;

    DrainController(WorkerRegistry registry) {
        this.registry = registry;
    }

    @MessageMapping(Routes.WORKER_DRAIN)
    DrainReply drain(DrainRequest request, RSocketRequester from) {
        registry.sessionOf(request.workerId(), from);
        return registry.drain(request.workerId());
    }
}
