package io.taskwire.scheduler.heartbeat;

import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.connection.RunningScheduler;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

/** {@code worker.ping}: the scheduler measures each worker's round trip over the worker's own connection. */
@RunningScheduler
class PingTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void roundTripIsMeasuredForConnectedWorker() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.accepted(port, "ping-measured")) {
            WorkerSession session = registry.find("ping-measured").orElseThrow();

            await().atMost(Duration.ofSeconds(3)).until(() -> session.roundTripMicros() >= 0);
        }
    }
}
