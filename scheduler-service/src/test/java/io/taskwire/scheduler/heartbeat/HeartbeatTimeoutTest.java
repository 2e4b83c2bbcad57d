package io.taskwire.scheduler.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rsocket.RSocket;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.taskwire.scheduler.support.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Offline detection on the scheduler's clock, with a 1 s heartbeat timeout checked every 50 ms. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        TestTokens.WORKER_PROPERTY,
        TestTokens.CLIENT_PROPERTY,
        "spring.rsocket.server.port=0",
        "taskwire.scheduler.heartbeat.interval=300ms",
        "taskwire.scheduler.heartbeat.timeout=1s",
        "taskwire.scheduler.heartbeat.check-interval=50ms"})
class HeartbeatTimeoutTest {

    static final Duration INTERVAL = Duration.ofMillis(300);
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void workerThatStopsHeartbeatingIsDeclaredOfflineWithinTimeoutAndDisconnected() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.accepted(port, "timeout-stopped")) {
            RSocket connection = worker.connection();
            WorkerSession session = registry.find("timeout-stopped").orElseThrow();
            Disposable heartbeats = heartbeatEveryInterval(worker);
            await().atMost(Duration.ofSeconds(5)).until(() -> session.lastHeartbeat() != null
                    && session.lastHeartbeat().seq() >= 3);

            heartbeats.dispose();

            await().atMost(TIMEOUT.plusMillis(500)).pollInterval(Duration.ofMillis(10))
                    .until(() -> session.status() == WorkerStatus.OFFLINE);
            assertThat(Duration.ofNanos(WorkerRegistry.silenceNanos(session, System.nanoTime())))
                    .as("silence when seen offline: not declared before the timeout").isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(session.offlineReason()).contains("no heartbeat");
            assertThat(registry.find("timeout-stopped")).isEmpty();
            StepVerifier.create(connection.onClose().onErrorComplete())
                    .expectComplete()
                    .verify(Duration.ofSeconds(2));
        }
    }

    @Test
    void heartbeatingWorkerStaysOnlineBeyondSeveralTimeouts() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.accepted(port, "timeout-beating")) {
            WorkerSession session = registry.find("timeout-beating").orElseThrow();
            Disposable heartbeats = heartbeatEveryInterval(worker);
            try {
                await().during(TIMEOUT.multipliedBy(3).plusMillis(500)).atMost(TIMEOUT.multipliedBy(5))
                        .until(() -> registry.find("timeout-beating").filter(live -> live == session).isPresent()
                                && session.status() == WorkerStatus.ONLINE);
                assertThat(session.lastHeartbeat().seq()).isGreaterThanOrEqualTo(8);
            } finally {
                heartbeats.dispose();
            }
        }
    }

    /** Heartbeats without blocking (FakeWorker.startHeartbeats blocks on a non-blocking Reactor thread). */
    private static Disposable heartbeatEveryInterval(FakeWorker worker) {
        AtomicLong seq = new AtomicLong();
        return Flux.interval(Duration.ZERO, INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> worker.requester().route(Routes.WORKER_HEARTBEAT)
                        .data(new WorkerHeartbeat(worker.id(), seq.incrementAndGet(), Instant.now(), 0, 1, 0.1, 1, 2))
                        .send())
                .subscribe();
    }
}
