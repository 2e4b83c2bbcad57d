package io.taskwire.worker.heartbeat;

import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.capacity.Slots;
import io.taskwire.worker.connection.SchedulerConnection;
import java.time.Clock;
import java.time.Instant;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;

/** {@code worker.config} (registration and settings) and {@code worker.ping} (round trip). */
@Controller
class SchedulerCallsController {

    private final SchedulerConnection connection;
    private final Slots slots;
    private final HeartbeatSender heartbeats;
    private final Clock clock;

    SchedulerCallsController(SchedulerConnection connection, Slots slots, HeartbeatSender heartbeats, Clock clock) {
        this.connection = connection;
        this.slots = slots;
        this.heartbeats = heartbeats;
        this.clock = clock;
    }

    @MessageMapping(Routes.WORKER_CONFIG)
    void config(WorkerConfig config) {
        slots.resize(config.slots());
        connection.configured(config);
    }

    @MessageMapping(Routes.WORKER_PING)
    Pong ping(Ping ping) {
        Instant now = clock.instant();
        heartbeats.pinged(now);
        return new Pong(ping.sentAt(), now);
    }
}
