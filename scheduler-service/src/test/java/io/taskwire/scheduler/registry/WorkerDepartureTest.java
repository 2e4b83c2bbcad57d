package io.taskwire.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.scheduler.connection.RunningScheduler;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** A worker leaves the registry the moment its connection closes, and may come back under the same id. */
@RunningScheduler
class WorkerDepartureTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    TestRestTemplate http;

    @Test
    void closedWorkerLeavesRegistryWithinOneSecondAndIsListedOfflineWithReason() throws InterruptedException {
        FakeWorker worker = FakeWorker.accepted(port, "depart-closed");
        WorkerSession session = registry.find("depart-closed").orElseThrow();

        worker.close();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.find("depart-closed").isEmpty());
        assertThat(registry.all()).contains(session);
        assertThat(session.status()).isEqualTo(WorkerStatus.OFFLINE);
        assertThat(session.offlineReason()).isNotBlank();
        JsonNode listed = listed("depart-closed");
        assertThat(listed.path("status").asText()).isEqualTo("OFFLINE");
        assertThat(listed.path("offlineReason").asText()).isNotBlank();
    }

    @Test
    void workerReconnectingWithSameIdAfterCloseIsAcceptedAsNewSession() throws InterruptedException {
        FakeWorker before = FakeWorker.accepted(port, "depart-return");
        WorkerSession first = registry.find("depart-return").orElseThrow();
        before.close();
        await().atMost(Duration.ofSeconds(1)).until(() -> registry.find("depart-return").isEmpty());

        try (FakeWorker after = FakeWorker.accepted(port, "depart-return")) {
            WorkerSession second = registry.find("depart-return").orElseThrow();
            assertThat(second).isNotSameAs(first);
            assertThat(second.status()).isEqualTo(WorkerStatus.ONLINE);
            assertThat(registry.all()).filteredOn(session -> session.id().equals("depart-return"))
                    .containsExactly(second);
        }
    }

    private JsonNode listed(String workerId) {
        JsonNode workers = http.getForObject("/api/v1/workers", JsonNode.class);
        for (JsonNode view : workers) {
            if (view.path("workerId").asText().equals(workerId)) {
                return view;
            }
        }
        throw new AssertionError(workerId + " is not listed in GET /api/v1/workers: " + workers);
    }
}
