package io.taskwire.scheduler.heartbeat;

import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;

/** {@code worker.heartbeat}: a worker's load report, and proof that it is alive. */
@Controller
class HeartbeatController {

    private final WorkerRegistry registry;
    private final HeartbeatBudget budget;

    HeartbeatController(WorkerRegistry registry, HeartbeatBudget budget) {
        this.registry = registry;
        this.budget = budget;
    }

    @MessageMapping(Routes.WORKER_HEARTBEAT)
    void heartbeat(WorkerHeartbeat heartbeat, RSocketRequester from) {
        WorkerSession session = registry.sessionOf(heartbeat.workerId(), from);
        if (budget.admit(session)) {
            registry.heartbeat(session, heartbeat);
        }
    }
}
