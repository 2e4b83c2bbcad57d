package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.boot.test.web.client.TestRestTemplate;

@RunningScheduler
class WorkerSetupAcceptanceTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    TestRestTemplate http;

    @Test
    void acceptedWorkerReceivesConfigWithConfiguredIntervalAndItsOwnSlots() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.connect(port, FakeWorker.hello("accept-config", 3, "echo"),
                assignment -> FakeWorker.echo(assignment, "accept-config"))) {
            WorkerConfig config = worker.configs.poll(5, TimeUnit.SECONDS);

            assertThat(config).isEqualTo(new WorkerConfig(RunningScheduler.HEARTBEAT_INTERVAL_MS, 3));
        }
    }

    @Test
    void acceptedWorkerIsRegisteredOnlineAndListedOverHttp() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.connect(port, FakeWorker.hello("accept-listed", 2, "echo", "sleep"),
                assignment -> FakeWorker.echo(assignment, "accept-listed"))) {
            assertThat(worker.configs.poll(5, TimeUnit.SECONDS)).isNotNull();

            WorkerSession session = registry.find("accept-listed").orElseThrow();
            assertThat(session.status()).isEqualTo(WorkerStatus.ONLINE);
            assertThat(session.slots()).isEqualTo(2);
            JsonNode listed = await().atMost(Duration.ofSeconds(5))
                    .until(() -> listed("accept-listed"), view -> view != null);
            assertThat(listed.path("status").asText()).isEqualTo("ONLINE");
            assertThat(listed.path("taskTypes")).extracting(JsonNode::asText).containsExactly("echo", "sleep");
        }
    }

    private JsonNode listed(String workerId) {
        JsonNode workers = http.getForObject("/api/v1/workers", JsonNode.class);
        for (JsonNode view : workers) {
            if (view.path("workerId").asText().equals(workerId)) {
                return view;
            }
        }
        return null;
    }
}
