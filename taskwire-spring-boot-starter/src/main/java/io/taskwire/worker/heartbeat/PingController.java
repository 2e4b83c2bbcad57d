package io.taskwire.worker.heartbeat;

import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Routes;
import java.time.Clock;
import java.time.Instant;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;

/** {@code worker.ping}: the scheduler's round trip, and its acknowledgement that it sees this worker. */
@Controller
class PingController {

    private final HeartbeatSender heartbeats;
    private final Clock clock;

    PingController(HeartbeatSender heartbeats, Clock clock) {
        this.heartbeats = heartbeats;
        this.clock = clock;
    }

    @MessageMapping(Routes.WORKER_PING)
    Pong ping(Ping ping) {
        Instant now = clock.instant();
        heartbeats.pinged(now);
        return new Pong(ping.sentAt(), now);
    }
}
