package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.worker.WorkerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestTemplate;

/**
 * A worker's readiness follows its scheduler: DOWN while the scheduler is away, UP once it is back,
 * OUT_OF_SERVICE while the scheduler drains it.
 */
class WorkerReadinessTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final RestTemplate http = Tokens.http();

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

    @Test
    void aWorkerDrainedThroughTheApiIsOutOfServiceUntilResumed() {
        try (LocalCluster cluster = LocalCluster.start()) {
            int workerPort = LocalCluster.managementPort(cluster.startWorker("ready-drained"));
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"UP\""));

            http.postForEntity(cluster.http("/api/v1/workers/ready-drained/drain"), null, String.class);
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"OUT_OF_SERVICE\""));
            assertThat(readiness(workerPort)).contains("\"drainedBy\":\"scheduler\"");

            http.postForEntity(cluster.http("/api/v1/workers/ready-drained/resume"), null, String.class);
            await().atMost(LIMIT).until(() -> readiness(workerPort).contains("\"status\":\"UP\""));
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
