package io.taskwire.scheduler.health;

import io.taskwire.scheduler.registry.WorkerView;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code /actuator/workers}: the full registry view, read only. */
@Component
@Endpoint(id = "workers")
class WorkersEndpoint {

    private final WorkersView workers;

    WorkersEndpoint(WorkersView workers) {
        this.workers = workers;
    }

    @ReadOperation
    List<WorkerView> workers() {
        return workers.all();
    }
}
