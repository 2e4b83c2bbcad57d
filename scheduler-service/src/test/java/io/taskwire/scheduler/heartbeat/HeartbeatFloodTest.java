package io.taskwire.scheduler.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A worker that sends heartbeats far faster than asked has the extra ones dropped and, if it keeps
 * on, is disconnected; a worker at the normal pace next to it is untouched.
 */
@SchedulerTest
@TestPropertySource(properties = {"taskwire.scheduler.heartbeat.max-per-second=10",
        "taskwire.scheduler.heartbeat.flood-grace=1s"})
class HeartbeatFloodTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @Test
    void aWorkerFloodingHeartbeatsIsDisconnectedAndTheOthersStay() throws InterruptedException {
        try (FakeWorker flooder = FakeWorker.accepted(port, "flood-sender");
             FakeWorker calm = FakeWorker.accepted(port, "flood-calm")) {
            WorkerSession calmSession = registry.find("flood-calm").orElseThrow();
            calm.startHeartbeats(Duration.ofMillis(500));
            double droppedBefore = meters.counter("taskwire.heartbeats.dropped").count();

            // the requester dials again by itself once closed: the flood is judged on its first session
            WorkerSession floodSession = registry.find("flood-sender").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (registry.find("flood-sender").filter(held -> held == floodSession).isPresent()
                    && System.nanoTime() < deadline) {
                try {
                    flooder.heartbeat(0);
                } catch (RuntimeException closed) {
                    break; // the scheduler closed the connection
                }
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> floodSession.status() == WorkerStatus.OFFLINE);
            assertThat(meters.counter("taskwire.heartbeats.dropped").count() - droppedBefore)
                    .as("heartbeats over 10 a second dropped").isGreaterThan(10);
            assertThat(floodSession.offlineReason()).contains("heartbeat flood");
            assertThat(registry.find("flood-calm")).containsSame(calmSession);
            assertThat(calmSession.status()).isEqualTo(WorkerStatus.ONLINE);
        }
    }
}
