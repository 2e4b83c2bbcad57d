package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.FakeWorker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

@SchedulerTest
class WorkerHttpApiTest extends WithFakeWorkersAndClient {

    private final HttpCalls http;

    WorkerHttpApiTest(@Autowired TestRestTemplate rest) {
        http = new HttpCalls(rest);
    }

    @Test
    void workersListsTheConnectedWorkers() {
        workers.start(FakeWorker.hello("list-a", 3, Map.of("zone", "a"), "list-echo"),
                assignment -> FakeWorker.echo(assignment, "list-a"));
        workers.echo("list-b", "list-echo", "list-other");

        ResponseEntity<String> response = http.get("/api/v1/workers");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode a = worker(HttpCalls.tree(response), "list-a");
        assertThat(a.path("status").asText()).isEqualTo("ONLINE");
        assertThat(a.path("slots").asInt()).isEqualTo(3);
        assertThat(a.path("labels").path("zone").asText()).isEqualTo("a");
        assertThat(a.path("taskTypes").toString()).isEqualTo("[\"list-echo\"]");
        JsonNode b = worker(HttpCalls.tree(response), "list-b");
        assertThat(b.path("taskTypes").toString()).isEqualTo("[\"list-echo\",\"list-other\"]");
    }

    @Test
    void drainedWorkerShowsDrainingAndGetsNoNewTasks() {
        FakeWorker drained = workers.echo("drain-a", "drain-echo");
        FakeWorker other = workers.echo("drain-b", "drain-echo");

        ResponseEntity<String> response = http.post("/api/v1/workers/drain-a/drain");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.tree(response).path("workerId").asText()).isEqualTo("drain-a");
        assertThat(HttpCalls.tree(response).path("inFlight").asInt()).isZero();
        assertThat(worker(HttpCalls.tree(http.get("/api/v1/workers")), "drain-a").path("status").asText())
                .isEqualTo("DRAINING");
        for (int i = 0; i < 6; i++) {
            String id = client.submit(Specs.spec("drain-echo", i)).taskId();
            assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("drain-b");
        }
        assertThat(drained.assignments).isEmpty();
        assertThat(other.assignments).hasSize(6);
    }

    @Test
    void drainAndResumeReachTheWorkerAndResumeBringsTasksBack() throws InterruptedException {
        FakeWorker worker = workers.echo("resume-a", "resume-echo");
        assertThat(worker.configs).as("configs after the one that registered it").isEmpty();

        assertThat(http.post("/api/v1/workers/resume-a/drain").getStatusCode()).isEqualTo(HttpStatus.OK);
        WorkerConfig drained = worker.configs.poll(5, TimeUnit.SECONDS);
        assertThat(drained).as("worker.config after the drain").isNotNull();
        assertThat(drained.draining()).isTrue();
        String waiting = client.submit(Specs.spec("resume-echo", 1)).taskId();
        assertThat(client.get(waiting).status()).isEqualTo(TaskStatus.PENDING);

        ResponseEntity<String> resumed = http.post("/api/v1/workers/resume-a/resume");

        assertThat(resumed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.tree(resumed).path("status").asText()).isIn("ONLINE", "BUSY");
        WorkerConfig again = worker.configs.poll(5, TimeUnit.SECONDS);
        assertThat(again).as("worker.config after the resume").isNotNull();
        assertThat(again.draining()).isFalse();
        assertThat(again.slots()).isEqualTo(drained.slots());
        assertThat(client.awaitStatus(waiting, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("resume-a");
    }

    @Test
    void resumingAnUnknownWorkerIsNotFound() {
        ResponseEntity<String> response = http.post("/api/v1/workers/no-such-worker/resume");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(HttpCalls.tree(response).path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void drainingAnUnknownWorkerIsNotFound() {
        ResponseEntity<String> response = http.post("/api/v1/workers/no-such-worker/drain");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(HttpCalls.tree(response).path("code").asText()).isEqualTo("NOT_FOUND");
    }

    private static JsonNode worker(JsonNode list, String workerId) {
        for (JsonNode worker : list) {
            if (worker.path("workerId").asText().equals(workerId)) {
                return worker;
            }
        }
        throw new AssertionError("no worker " + workerId + " in " + list);
    }
}
