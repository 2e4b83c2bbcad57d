package io.taskwire.scheduler.api;

import io.taskwire.messages.DrainReply;
import io.taskwire.scheduler.health.WorkersView;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerView;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The worker half of the HTTP API: the registry, and draining and resuming a worker. */
@RestController
@RequestMapping("/api/v1/workers")
class WorkerHttpController {

    private final WorkerRegistry registry;
    private final WorkersView workers;

    WorkerHttpController(WorkerRegistry registry, WorkersView workers) {
        this.registry = registry;
        this.workers = workers;
    }

    /** Live workers first, then those that left within the retention, as OFFLINE. */
    @GetMapping
    List<WorkerView> workers() {
        return workers.all();
    }

    /** No new tasks for the worker; its running ones finish. The worker learns it from {@code worker.config}. */
    @PostMapping("/{workerId}/drain")
    DrainReply drain(@PathVariable String workerId) {
        return registry.drain(workerId);
    }

    /** Undoes a drain: the worker gets new tasks again. */
    @PostMapping("/{workerId}/resume")
    WorkerView resume(@PathVariable String workerId) {
        return workers.of(registry.resume(workerId));
    }
}
