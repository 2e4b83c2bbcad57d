package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.core.type.TypeReference;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.FakeWorker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

@SchedulerTest
class TaskHttpApiTest extends WithFakeWorkersAndClient {

    private static final TypeReference<List<TaskView>> VIEWS = new TypeReference<>() { };

    private final HttpCalls http;

    TaskHttpApiTest(@Autowired TestRestTemplate rest) {
        http = new HttpCalls(rest);
    }

    @Test
    void postAcceptsTheTaskWith202() {
        workers.echo("http-a", "http-echo");

        ResponseEntity<String> response = http.post("/api/v1/tasks", HttpCalls.spec("http-echo", 1));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        TaskView view = HttpCalls.read(response, TaskView.class);
        assertThat(view.type()).isEqualTo("http-echo");
        assertThat(view.status()).isIn(TaskStatus.PENDING, TaskStatus.DISPATCHED);
        assertThat(client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN).output()).isEqualTo(Specs.payload(1));
    }

    @Test
    void unknownFieldsInASubmissionAreIgnored() {
        workers.echo("http-extra-a", "http-extra-echo");
        String json = "{\"type\":\"http-extra-echo\",\"payload\":{\"n\":1},\"priority\":\"high\",\"x\":[1,2]}";

        ResponseEntity<String> response = http.post("/api/v1/tasks?waitMs=2000", json);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.read(response, TaskView.class).output()).isEqualTo(Specs.payload(1));
    }

    @Test
    void postWithWaitMsAnswers200WithTheFinalViewWhenTheTaskEndsInTime() {
        workers.echo("http-wait-a", "http-wait-echo");

        ResponseEntity<String> response = http.post("/api/v1/tasks?waitMs=2000", HttpCalls.spec("http-wait-echo", 2));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        TaskView view = HttpCalls.read(response, TaskView.class);
        assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(view.output()).isEqualTo(Specs.payload(2));
    }

    @Test
    void postWithWaitMsAnswers202WhenTheTaskIsStillRunning() {
        workers.silent("http-slow-a", "http-slow-echo");

        ResponseEntity<String> response = http.post("/api/v1/tasks?waitMs=100", HttpCalls.spec("http-slow-echo", 3));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(HttpCalls.read(response, TaskView.class).status()).isIn(TaskStatus.PENDING, TaskStatus.DISPATCHED);
    }

    @Test
    void postBatchAcceptsEveryTaskWith202AndOneViewEach() {
        workers.echo("http-batch-a", "http-batch-echo");
        String batch = "[" + HttpCalls.spec("http-batch-echo", 0) + "," + HttpCalls.spec("http-batch-echo", 1) + "]";

        ResponseEntity<String> response = http.post("/api/v1/tasks/batch", batch);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        List<TaskView> views = HttpCalls.read(response, VIEWS);
        assertThat(views).hasSize(2);
        for (int i = 0; i < views.size(); i++) {
            assertThat(client.awaitStatus(views.get(i).taskId(), TaskStatus.SUCCEEDED, WITHIN).output())
                    .isEqualTo(Specs.payload(i));
        }
    }

    @Test
    void getByIdAnswersTheTasksView() {
        workers.echo("http-get-a", "http-get-echo");
        String id = client.submit(Specs.spec("http-get-echo", 4)).taskId();
        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);

        ResponseEntity<String> response = http.get("/api/v1/tasks/" + id);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.read(response, TaskView.class)).isEqualTo(done);
    }

    @Test
    void listFiltersByStatusAndTypeAndLimitsNewestFirst() {
        workers.echo("http-list-a", "http-list-echo");
        workers.silent("http-list-b", "http-list-slow");
        List<String> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = client.submit(Specs.spec("http-list-echo", i)).taskId();
            client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
            done.add(id);
        }
        String running = client.submit(Specs.spec("http-list-slow", 9)).taskId();
        client.awaitStatus(running, TaskStatus.DISPATCHED, WITHIN);

        assertThat(list("?type=http-list-echo")).extracting(TaskView::taskId)
                .containsExactly(done.get(2), done.get(1), done.get(0));
        assertThat(list("?type=http-list-echo&limit=2")).extracting(TaskView::taskId)
                .containsExactly(done.get(2), done.get(1));
        assertThat(list("?type=http-list-echo&status=SUCCEEDED")).hasSize(3);
        assertThat(list("?type=http-list-echo&status=DISPATCHED")).isEmpty();
        assertThat(list("?type=http-list-slow&status=DISPATCHED")).extracting(TaskView::taskId).containsExactly(running);
        assertThat(list("?status=DISPATCHED")).extracting(TaskView::status).containsOnly(TaskStatus.DISPATCHED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "5000"})
    void aListLimitOutsideItsBoundsIsInvalidRequestNamingTheBounds(String limit) {
        ResponseEntity<String> response = http.get("/api/v1/tasks?limit=" + limit);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode problem = HttpCalls.tree(response);
        assertThat(problem.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(problem.path("detail").asText()).isEqualTo("limit must lie between 1 and 1000, was " + limit);
    }

    @Test
    void postAbortEndsARunningTaskAbortedAndCancelsItsAttempt() {
        FakeWorker worker = workers.silent("http-abort-a", "http-abort-echo");
        String id = client.submit(Specs.spec("http-abort-echo", 1)).taskId();
        client.awaitStatus(id, TaskStatus.DISPATCHED, WITHIN);

        ResponseEntity<String> response = http.post("/api/v1/tasks/" + id + "/abort");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.read(response, TaskView.class).status()).isEqualTo(TaskStatus.ABORTED);
        TaskCancel cancel = FakeWorkers.poll(worker.cancels, WITHIN);
        assertThat(cancel).isNotNull();
        assertThat(cancel.taskId()).isEqualTo(id);
    }

    private List<TaskView> list(String query) {
        ResponseEntity<String> response = http.get("/api/v1/tasks" + query);
        assertThat(response.getStatusCode()).as("GET /api/v1/tasks%s", query).isEqualTo(HttpStatus.OK);
        return HttpCalls.read(response, VIEWS);
    }
}
