package io.taskwire.scheduler.connection;

import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.scheduler.heartbeat.HeartbeatProperties;
import io.taskwire.scheduler.registry.WorkerDraining;
import io.taskwire.scheduler.registry.WorkerResumed;
import io.taskwire.scheduler.registry.WorkerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends {@code worker.config}: once right after a worker's SETUP is accepted (which tells it it is
 * registered), and again whenever its drain changes, so the worker's own readiness follows the drain.
 */
@Component
class WorkerConfigSender {

    private static final Logger log = LoggerFactory.getLogger(WorkerConfigSender.class);

    private final HeartbeatProperties heartbeat;

    WorkerConfigSender(HeartbeatProperties heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** Sends the session's settings as they are when the call goes out; never waits for it. */
    void send(WorkerSession session) {
        Mono.defer(() -> session.requester().route(Routes.WORKER_CONFIG)
                        .data(new WorkerConfig(heartbeat.interval().toMillis(), session.slots(), session.draining()))
                        .send())
                .subscribeOn(Schedulers.parallel())
                .subscribe(null, e -> log.warn("Could not send worker.config to {}: {}", session.id(), e.toString()));
    }

    @EventListener
    void on(WorkerDraining draining) {
        send(draining.session());
    }

    @EventListener
    void on(WorkerResumed resumed) {
        send(resumed.session());
    }
}
