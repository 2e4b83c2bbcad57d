package io.taskwire.scheduler.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rsocket.RSocket;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.scheduler.connection.RunningScheduler;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

/** A connection may heartbeat only for the worker it belongs to. */
@RunningScheduler
class HeartbeatOwnershipTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void heartbeatNamingAnotherWorkerIsRefusedAndSenderStaysConnected() throws InterruptedException {
        try (FakeWorker sender = FakeWorker.accepted(port, "own-sender");
             FakeWorker victim = FakeWorker.accepted(port, "own-victim")) {
            RSocket senderConnection = sender.connection();
            WorkerSession victimSession = registry.find("own-victim").orElseThrow();
            WorkerSession senderSession = registry.find("own-sender").orElseThrow();

            sender.requester().route(Routes.WORKER_HEARTBEAT)
                    .data(new WorkerHeartbeat("own-victim", 99, Instant.now(), 7, 0, 0.9, 1, 2))
                    .send()
                    .block(Duration.ofSeconds(5));
            // frames of one connection are handled in order: once this one is recorded, the forged one was handled
            sender.heartbeat(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> senderSession.lastHeartbeat() != null);

            assertThat(victimSession.lastHeartbeat()).isNull();
            assertThat(senderConnection.isDisposed()).isFalse();
            assertThat(registry.find("own-sender")).containsSame(senderSession);
        }
    }
}
