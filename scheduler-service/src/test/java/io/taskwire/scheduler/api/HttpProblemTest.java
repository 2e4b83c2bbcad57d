package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Bad HTTP input gets RFC 9457 problems with the protocol's code, and the service keeps serving. */
@SchedulerTest
class HttpProblemTest {

    private static final String TYPE = "problem-echo";

    private final HttpCalls http;
    private final FakeWorkers workers;

    HttpProblemTest(@Autowired TestRestTemplate rest, @LocalRSocketServerPort int port) {
        http = new HttpCalls(rest);
        workers = new FakeWorkers(port);
    }

    @AfterEach
    void closeWorkers() {
        workers.close();
    }

    @Test
    void malformedJsonIsInvalidRequest() {
        assertProblem(http.post("/api/v1/tasks", "{\"type\": \"" + TYPE + "\", \"payload\": "),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "JSON");
    }

    @Test
    void missingTypeIsInvalidRequestNamingType() {
        assertProblem(http.post("/api/v1/tasks", "{\"payload\":{}}"), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "type");
    }

    @Test
    void illTypedTimeoutIsInvalidRequestNamingTimeoutMs() {
        assertProblem(http.post("/api/v1/tasks", "{\"type\":\"" + TYPE + "\",\"payload\":{},\"timeoutMs\":\"abc\"}"),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "timeoutMs");
    }

    @Test
    void timeoutBeyondTheMaximumIsInvalidRequestNamingTimeoutMs() {
        workers.echo("problem-timeout", TYPE);

        assertProblem(http.post("/api/v1/tasks", "{\"type\":\"" + TYPE + "\",\"payload\":{},\"timeoutMs\":9300000000000}"),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "timeoutMs must be at most");
    }

    @Test
    void unknownTaskTypeIsUnprocessable() {
        assertProblem(http.post("/api/v1/tasks", HttpCalls.spec("problem-unknown", 1)),
                HttpStatus.UNPROCESSABLE_ENTITY, "UNKNOWN_TASK_TYPE", "problem-unknown");
    }

    @Test
    void bodyOverThePayloadLimitIsTooLarge() {
        assertProblem(http.post("/api/v1/tasks", oversized()), HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "limit");
    }

    @Test
    void payloadWithoutRoomForItsAssignmentIsTooLarge() {
        workers.echo("problem-big", TYPE);
        // the body fits the 16 KB limit, but the payload leaves less than the 4 KiB the assignment needs
        String body = "{\"type\":\"" + TYPE + "\",\"payload\":\"" + "x".repeat(13 * 1024) + "\"}";

        assertProblem(http.post("/api/v1/tasks", body), HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "payload");
    }

    @Test
    void unknownTaskIsNotFound() {
        assertProblem(http.get("/api/v1/tasks/no-such-task"), HttpStatus.NOT_FOUND, "NOT_FOUND", "no-such-task");
    }

    @Test
    void unknownStatusFilterIsInvalidRequestNamingStatus() {
        assertProblem(http.get("/api/v1/tasks?status=BOGUS"), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "status");
    }

    @Test
    void unknownPathIsNotFound() {
        assertProblem(http.get("/api/v1/nothing-here"), HttpStatus.NOT_FOUND, "NOT_FOUND", "nothing-here");
    }

    @Test
    void serviceKeepsServingAfterEveryKindOfBadInput() {
        workers.echo("problem-a", TYPE);
        http.post("/api/v1/tasks", "{\"type\": ");
        http.post("/api/v1/tasks", "{\"payload\":{}}");
        http.post("/api/v1/tasks", "{\"type\":\"" + TYPE + "\",\"payload\":{},\"timeoutMs\":\"abc\"}");
        http.post("/api/v1/tasks", HttpCalls.spec("problem-unknown", 1));
        http.post("/api/v1/tasks", oversized());
        http.get("/api/v1/tasks/no-such-task");
        http.get("/api/v1/tasks?status=BOGUS");
        http.get("/api/v1/nothing-here");

        ResponseEntity<String> response = http.post("/api/v1/tasks?waitMs=2000", HttpCalls.spec(TYPE, 1));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(HttpCalls.read(response, TaskView.class).status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    /** A valid submission whose body is over the 16 KB limit the tests configure. */
    private static String oversized() {
        return "{\"type\":\"" + TYPE + "\",\"payload\":{\"text\":\"" + "x".repeat(20 * 1024) + "\"}}";
    }

    private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String code, String named) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isNotNull();
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type %s", response.getHeaders().getContentType()).isTrue();
        JsonNode problem = HttpCalls.tree(response);
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status.value());
        assertThat(problem.path("detail").asText()).contains(named);
    }
}
