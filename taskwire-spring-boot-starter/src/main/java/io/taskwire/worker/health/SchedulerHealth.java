package io.taskwire.worker.health;

import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerConnection;
import io.taskwire.worker.execution.TaskRunner;
import io.taskwire.worker.heartbeat.HeartbeatSender;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of a worker: UP when registered with its scheduler and not draining, OUT_OF_SERVICE while
 * draining (drained by the scheduler, or shutting down), DOWN while not registered. The details say where the
 * scheduler is, since when the worker is registered, and when the scheduler last pinged it (its
 * acknowledgement that it sees this worker). Liveness never depends on it.
 */
@Component("scheduler")
class SchedulerHealth implements HealthIndicator {

    private final SchedulerConnection connection;
    private final HeartbeatSender heartbeats;
    private final TaskRunner runner;
    private final ConnectionProperties properties;

    SchedulerHealth(SchedulerConnection connection, HeartbeatSender heartbeats, TaskRunner runner,
                    ConnectionProperties properties) {
        this.connection = connection;
        this.heartbeats = heartbeats;
        this.runner = runner;
        this.properties = properties;
    }

    @Override
    public Health health() {
        Optional<Connected> connected = connection.current();
        Health.Builder health = connected.isEmpty() ? Health.down()
                : runner.draining() ? Health.outOfService() : Health.up();
        health.withDetail("scheduler", connected.map(Connected::scheduler).orElse(properties.scheduler().addressList()
                        .stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", "))))
                .withDetail("workerId", properties.id())
                .withDetail("draining", runner.draining());
        runner.drainedBy().ifPresent(by -> health.withDetail("drainedBy", by));
        connected.ifPresent(registered -> health.withDetail("connectedSince", registered.since()));
        heartbeats.lastSent().ifPresent(at -> health.withDetail("lastHeartbeatSentAt", at));
        heartbeats.lastPinged().ifPresent(at -> health.withDetail("lastPingFromSchedulerAt", at));
        return health.build();
    }
}
