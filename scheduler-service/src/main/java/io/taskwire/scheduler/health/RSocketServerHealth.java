package io.taskwire.scheduler.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.rsocket.context.RSocketServerInitializedEvent;
import org.springframework.boot.rsocket.server.RSocketServer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Readiness: the RSocket server is bound and accepting workers and clients. */
@Component("rsocketServer")
class RSocketServerHealth implements HealthIndicator {

    private volatile RSocketServer server;

    @EventListener
    void on(RSocketServerInitializedEvent started) {
        server = started.getServer();
    }

    @Override
    public Health health() {
        RSocketServer bound = server;
        if (bound == null || bound.address() == null) {
            return Health.down().withDetail("reason", "the RSocket server has not started").build();
        }
        return Health.up().withDetail("port", bound.address().getPort()).build();
    }
}
