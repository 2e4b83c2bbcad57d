package io.taskwire.scheduler.health;

import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.registry.WorkerView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The registry as a health contributor, for readiness only: UP while at least
 * {@code taskwire.scheduler.min-workers} workers are online, OUT_OF_SERVICE below; the details list
 * each worker with its heartbeat age, round trip, load and breaker. Losing workers never touches
 * liveness.
 */
@Component("workers")
class WorkersHealth implements HealthIndicator {

    private final WorkersView workers;
    private final HealthProperties properties;

    WorkersHealth(WorkersView workers, HealthProperties properties) {
        this.workers = workers;
        this.properties = properties;
    }

    @Override
    public Health health() {
        List<WorkerView> all = workers.all();
        long online = all.stream()
                .filter(view -> view.status() == WorkerStatus.ONLINE || view.status() == WorkerStatus.BUSY).count();
        Map<String, Object> details = new LinkedHashMap<>();
        for (WorkerView view : all) {
            Map<String, Object> worker = new LinkedHashMap<>();
            worker.put("status", view.status());
            worker.put("secondsSinceHeartbeat", view.lastHeartbeatAgeMs() / 1000.0);
            worker.put("roundTripMs", view.roundTripMs());
            worker.put("inFlight", view.inFlight() + "/" + view.slots());
            worker.put("breaker", view.breaker());
            if (view.offlineReason() != null) {
                worker.put("offlineReason", view.offlineReason());
            }
            details.put(view.workerId(), worker);
        }
        Status status = online >= properties.minWorkers() ? Status.UP : Status.OUT_OF_SERVICE;
        return Health.status(status)
                .withDetail("online", online)
                .withDetail("minWorkers", properties.minWorkers())
                .withDetail("workers", details)
                .build();
    }
}
