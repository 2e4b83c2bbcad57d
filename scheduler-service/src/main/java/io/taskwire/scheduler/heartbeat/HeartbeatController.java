package io.taskwire.scheduler.heartbeat;

import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.scheduler.registry.WorkerRegistry;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;

/**
 * {@code worker.heartbeat}: a worker's load report, and proof that it is alive. Heartbeats over a
 * worker's budget never reach it: {@link HeartbeatBudget} drops them before they are decoded.
 */
@Controller
class HeartbeatController {

    private final WorkerRegistry registry;

    HeartbeatController(WorkerRegistry registry) {
        this.registry = registry;
    }

    @MessageMapping(Routes.WORKER_HEARTBEAT)
    void heartbeat(WorkerHeartbeat heartbeat, RSocketRequester from) {
        registry.heartbeat(registry.sessionOf(heartbeat.workerId(), from), heartbeat);
    }
}
