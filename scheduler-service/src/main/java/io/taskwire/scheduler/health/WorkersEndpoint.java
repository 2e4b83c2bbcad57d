package io.taskwire.scheduler.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.registry.WorkerView;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/workers}: whether this scheduler leads, where the leader is, and the full
 * registry view, read only. A standby has no workers: they all go to the leader it names.
 */
@Component
@Endpoint(id = "workers")
class WorkersEndpoint {

    private final WorkersView workers;
    private final Leadership leadership;

    WorkersEndpoint(WorkersView workers, Leadership leadership) {
        this.workers = workers;
        this.leadership = leadership;
    }

    @ReadOperation
    Registry workers() {
        return new Registry(leadership.state().name(), leadership.leaderAddress().orElse(null),
                leadership.leads() ? leadership.epoch() : null, workers.all());
    }

    /**
     * @param role this scheduler's place in the lead: {@code LEADER}, {@code STANDBY}, or
     *        {@code STARTING}/{@code STOPPED} around those
     * @param leader the leader's advertised address, this scheduler's own when it leads; absent when none is known
     * @param epoch the epoch of the lead, on the leader only
     * @param workers the workers connected to this scheduler, then those that left recently
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Registry(String role, String leader, Long epoch, List<WorkerView> workers) {
    }
}
