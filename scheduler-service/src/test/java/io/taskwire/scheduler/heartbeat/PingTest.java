package io.taskwire.scheduler.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.connection.RunningScheduler;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
        try (FakeWorker worker = FakeWorker.connect(port, FakeWorker.hello("ping-measured", 1, "echo"),
                assignment -> FakeWorker.echo(assignment, "ping-measured"))) {
            assertThat(worker.configs.poll(5, TimeUnit.SECONDS)).isNotNull();
            WorkerSession session = registry.find("ping-measured").orElseThrow();

            await().atMost(Duration.ofSeconds(3)).until(() -> session.roundTripMicros() >= 0);
        }
    }
}
