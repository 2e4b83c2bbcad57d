package io.taskwire.worker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/** The scheduler drains and resumes a worker with {@code worker.config}; the worker's readiness follows. */
@WorkerTest({"taskwire.worker.id=w-drained", "taskwire.worker.slots=2"})
class SchedulerDrainTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(new WorkerConfig(500, 2)).start(0);

    @Autowired
    TestRestTemplate http;

    @Test
    void drainedByTheSchedulerTheWorkerIsOutOfServiceAndResumedItIsReadyAgain() {
        await().atMost(WITHIN).until(() -> readiness().path("status").asText().equals("UP"));

        scheduler.configure(new WorkerConfig(500, 2, true));

        await().atMost(WITHIN).until(() -> readiness().path("status").asText().equals("OUT_OF_SERVICE"));
        ResponseEntity<String> notReady = http.getForEntity("/actuator/health/readiness", String.class);
        assertThat(notReady.getStatusCode().value()).isEqualTo(503);
        JsonNode details = readiness().path("components").path("scheduler").path("details");
        assertThat(details.path("draining").asBoolean()).isTrue();
        assertThat(details.path("drainedBy").asText()).isEqualTo("scheduler");
        TaskResult refused = scheduler.execute(Tasks.echo("{\"n\":1}")).block(WITHIN);
        assertThat(refused.outcome()).as("a task sent while drained").isEqualTo(Outcome.REJECTED);
        assertThat(refused.error().code()).isEqualTo(ErrorCode.DRAINING.name());

        scheduler.configure(new WorkerConfig(500, 2, false));

        await().atMost(WITHIN).until(() -> readiness().path("status").asText().equals("UP"));
        assertThat(readiness().path("components").path("scheduler").path("details").has("drainedBy")).isFalse();
        TaskResult ran = scheduler.execute(Tasks.echo("{\"n\":2}")).block(WITHIN);
        assertThat(ran.outcome()).as("a task sent after the resume").isEqualTo(Outcome.SUCCEEDED);
    }

    private JsonNode readiness() {
        String body = http.getForEntity("/actuator/health/readiness", String.class).getBody();
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("readiness is not JSON: " + body, e);
        }
    }
}
