package io.taskwire.it;

import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.worker.WorkerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A worker's readiness follows its scheduler: DOWN while the scheduler is away, UP once it is back. */
class WorkerReadinessTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void workerReadinessGoesDownWithItsSchedulerAndUpAfterReconnecting() {
        int port = freePort();
        ConfigurableApplicationContext scheduler = scheduler(port);
        try (ConfigurableApplicationContext worker = WorkerApplication.builder().run("--server.port=0",
                "--taskwire.worker.id=ready-1", "--taskwire.worker.scheduler.port=" + port, Tokens.WORKER_ARG,
                "--resilience4j.retry.configs.connection.wait-duration=50ms",
                "--resilience4j.retry.configs.connection.exponential-max-wait-duration=500ms")) {
            int workerPort = LocalCluster.managementPort(worker);
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"UP\""));

            scheduler.close();
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"DOWN\""));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                    .until(() -> ObservabilityTest.health(workerPort, "liveness").contains("\"status\":\"UP\""));

            scheduler = scheduler(port);
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"UP\""));
        } finally {
            scheduler.close();
        }
    }

    private static String readiness(int port) {
        return ObservabilityTest.health(port, "readiness");
    }

    private static ConfigurableApplicationContext scheduler(int rsocketPort) {
        return SchedulerApplication.builder().run(Tokens.withSchedulerTokens("--server.port=0",
                "--management.server.port=0", "--spring.rsocket.server.port=" + rsocketPort));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
