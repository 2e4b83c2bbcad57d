package io.taskwire.worker.heartbeat;

import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.capacity.Slots;
import io.taskwire.worker.connection.SchedulerConnection;
import io.taskwire.worker.execution.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;

/** {@code worker.config} (registration, slots, the scheduler's drain) and {@code worker.ping} (round trip). */
@Controller
class SchedulerCallsController {

    private final SchedulerConnection connection;
    private final Slots slots;
    private final HeartbeatSender heartbeats;
    private final TaskRunner runner;
    private final Clock clock;

    SchedulerCallsController(SchedulerConnection connection, Slots slots, HeartbeatSender heartbeats, TaskRunner runner,
                             Clock clock) {
        this.runner = runner;
        this.connection = connection;
        this.slots = slots;
        this.heartbeats = heartbeats;
        this.clock = clock;
    }

    @MessageMapping(Routes.WORKER_CONFIG)
    void config(WorkerConfig config) {
        slots.resize(config.slots());
        runner.drainedByScheduler(config.draining());
        connection.configured(config);
    }

    @MessageMapping(Routes.WORKER_PING)
    Pong ping(Ping ping) {
        Instant now = clock.instant();
        heartbeats.pinged(now);
        return new Pong(ping.sentAt(), now);
    }
}
