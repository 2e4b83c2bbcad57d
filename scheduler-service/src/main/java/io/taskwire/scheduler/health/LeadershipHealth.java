package io.taskwire.scheduler.health;

import io.taskwire.scheduler.leadership.Leadership;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code leadership} health contributor, part of readiness: {@code UP} on the scheduler that
 * leads, {@code OUT_OF_SERVICE} on a standby (PROTOCOL.md section 7), so that a load balancer or a
 * Kubernetes Service sends workers and clients to the leader only. Liveness never includes it.
 */
@Component("leadershipHealthIndicator") // the contributor "leadership"; the bean name "leadership" is Leadership's
class LeadershipHealth implements HealthIndicator {

    private final Leadership leadership;

    LeadershipHealth(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public Health health() {
        Health.Builder health = leadership.leads() ? Health.up() : Health.outOfService();
        health.withDetail("state", leadership.state().name());
        if (leadership.leads()) {
            health.withDetail("epoch", leadership.epoch());
        }
        leadership.leaderAddress().ifPresent(leader -> health.withDetail("leader", leader));
        return health.build();
    }
}
