package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleQuery;
import io.taskwire.messages.ScheduleRef;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.store.TaskStore;
import io.taskwire.transport.ProtocolErrors;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The schedule calls over HTTP and RSocket (PROTOCOL.md sections 3, 6 and 8): what they answer, and
 * how each kind of bad spec is refused, naming the field, with nothing stored.
 */
@SchedulerTest
class ScheduleApiTest extends WithFakeWorkersAndClient {

    private static final String TYPE = SchedulerTest.DECLARED_TYPE;
    private final HttpCalls http;
    private final TaskStore store;

    ScheduleApiTest(@Autowired TestRestTemplate rest, @Autowired TaskStore store) {
        http = new HttpCalls(rest);
        this.store = store;
    }

    @Test
    void putCreatesThenReplacesAndGetShowsTheNextFireTimesAndTheTasksItFired() {
        ResponseEntity<String> created = http.put("/api/v1/schedules/api-nightly", "{\"cron\":\"0 2 * * *\","
                + "\"timeZone\":\"Europe/Berlin\",\"task\":{\"type\":\"" + TYPE + "\",\"payload\":{\"n\":1}}}");

        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.OK);
        ScheduleView view = HttpCalls.read(created, ScheduleView.class);
        assertThat(view.scheduleId()).isEqualTo("api-nightly");
        assertThat(view.spec().misfire()).as("defaults filled in").isNotNull();
        assertThat(view.nextFireTimes()).hasSize(5);
        assertThat(view.nextFireTimes().get(0)).isEqualTo(view.nextFireAt());
        assertThat(view.nextFireTimes()).allSatisfy(at -> assertThat(at.atZone(java.time.ZoneId.of("Europe/Berlin"))
                .getHour()).isEqualTo(2));

        TaskView fired = HttpCalls.read(http.post("/api/v1/schedules/api-nightly/trigger"), TaskView.class);
        assertThat(fired.scheduleId()).isEqualTo("api-nightly");
        ResponseEntity<String> replaced = http.put("/api/v1/schedules/api-nightly", "{\"scheduleId\":\"api-nightly\","
                + "\"everyMs\":3600000,\"task\":{\"type\":\"" + TYPE + "\",\"payload\":{\"n\":2}}}");
        ScheduleView again = HttpCalls.read(replaced, ScheduleView.class);
        assertThat(again.spec().everyMs()).isEqualTo(3_600_000L);
        assertThat(again.fired()).as("a replaced schedule keeps its count").isOne();
        assertThat(again.createdAt()).isEqualTo(view.createdAt());

        ScheduleView read = HttpCalls.read(http.get("/api/v1/schedules/api-nightly"), ScheduleView.class);
        assertThat(read.spec().task().payload()).as("the replaced spec's payload, as read").hasToString("{\"n\":2}");
        assertThat(store.schedules()).filteredOn(row -> row.id().equals("api-nightly")).singleElement()
                .extracting(row -> row.spec().task().payload().toString()).as("as stored").isEqualTo("{\"n\":2}");
        assertThat(read.recentTasks()).extracting(TaskView::taskId).containsExactly(fired.taskId());
        assertThat(read.nextFireTimes()).hasSize(5);
        List<ScheduleView> listed = HttpCalls.read(http.get("/api/v1/schedules?limit=1000"), new TypeReference<>() { });
        assertThat(listed).extracting(ScheduleView::scheduleId).contains("api-nightly");
        assertThat(listed).allSatisfy(one -> assertThat(one.recentTasks()).isNull());
    }

    @Test
    void aDryRunShowsTheNextFireTimesAndStoresNothing() {
        ResponseEntity<String> dry = http.put("/api/v1/schedules/api-dry?dryRun=true", "{\"cron\":\"30 2 * * *\","
                + "\"timeZone\":\"Europe/Berlin\",\"startAt\":\"2027-03-27T00:00:00Z\","
                + "\"task\":{\"type\":\"" + TYPE + "\",\"payload\":{}}}");

        ScheduleView view = HttpCalls.read(dry, ScheduleView.class);
        assertThat(view.nextFireTimes()).as("02:30 does not exist on 28 March 2027 in Berlin: the end of the gap")
                .startsWith(Instant.parse("2027-03-27T01:30:00Z"), Instant.parse("2027-03-28T01:00:00Z"),
                        Instant.parse("2027-03-29T00:30:00Z"));
        assertThat(http.get("/api/v1/schedules/api-dry").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void pauseResumeTriggerAndDeleteOverRSocket() {
        ScheduleView put = call(Routes.SCHEDULE_PUT, spec("rs-daily", "0 3 * * *"));
        assertThat(put.paused()).isFalse();

        ScheduleView paused = call(Routes.SCHEDULE_PAUSE, new ScheduleRef("rs-daily"));
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextFireAt()).isNull();
        TaskView task = client.requester().route(Routes.SCHEDULE_TRIGGER).data(new ScheduleRef("rs-daily"))
                .retrieveMono(TaskView.class).block(WITHIN);
        assertThat(task.scheduleId()).isEqualTo("rs-daily");
        assertThat(client.get(task.taskId()).status()).isEqualTo(TaskStatus.PENDING);
        ScheduleView resumed = call(Routes.SCHEDULE_RESUME, new ScheduleRef("rs-daily"));
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextFireAt()).isEqualTo(put.nextFireAt());
        List<ScheduleView> listed = client.requester().route(Routes.SCHEDULE_LIST).data(new ScheduleQuery(1000))
                .retrieveMono(new ParameterizedTypeReference<List<ScheduleView>>() { }).block(WITHIN);
        assertThat(listed).extracting(ScheduleView::scheduleId).contains("rs-daily");

        ScheduleView deleted = call(Routes.SCHEDULE_DELETE, new ScheduleRef("rs-daily"));
        assertThat(deleted.fired()).isOne();
        assertThatThrownBy(() -> call(Routes.SCHEDULE_GET, new ScheduleRef("rs-daily")))
                .satisfies(e -> assertThat(ProtocolErrors.fromPeer(e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(client.get(task.taskId()).scheduleId()).as("its tasks stay").isEqualTo("rs-daily");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unparsable cron         | {"cron":"61 * * * *","task":{"type":"later","payload":{}}}                                | cron
            cron of four fields     | {"cron":"* * * *","task":{"type":"later","payload":{}}}                                   | cron
            cron that never matches | {"cron":"0 0 30 2 *","task":{"type":"later","payload":{}}}                                | cron
            unknown zone            | {"cron":"0 2 * * *","timeZone":"Mars/Olympus","task":{"type":"later","payload":{}}}       | timeZone
            both cron and everyMs   | {"cron":"0 2 * * *","everyMs":60000,"task":{"type":"later","payload":{}}}                 | cron
            neither                 | {"task":{"type":"later","payload":{}}}                                                    | cron
            everyMs below a second  | {"everyMs":999,"task":{"type":"later","payload":{}}}                                      | everyMs
            endAt before startAt    | {"everyMs":60000,"startAt":"2027-01-02T00:00:00Z","endAt":"2027-01-01T00:00:00Z","task":{"type":"later","payload":{}}} | endAt
            endAt passed            | {"everyMs":60000,"startAt":"2020-01-01T00:00:00Z","endAt":"2020-01-02T00:00:00Z","task":{"type":"later","payload":{}}} | endAt
            task without a type     | {"everyMs":60000,"task":{"payload":{}}}                                                   | type
            task with its own key   | {"everyMs":60000,"task":{"type":"later","payload":{},"idempotencyKey":"k"}}              | task.idempotencyKey
            no task                 | {"everyMs":60000}                                                                         | task
            unknown misfire policy  | {"everyMs":60000,"misfire":"SOMETIMES","task":{"type":"later","payload":{}}}              | misfire
            negative jitter         | {"everyMs":60000,"jitterMs":-1,"task":{"type":"later","payload":{}}}                      | jitterMs
            another id in the body  | {"scheduleId":"other","everyMs":60000,"task":{"type":"later","payload":{}}}               | scheduleId
            """)
    void aBadSpecIsInvalidRequestNamingTheFieldAndNothingIsStored(String what, String body, String field) {
        ResponseEntity<String> response = http.put("/api/v1/schedules/api-bad", body);

        assertProblem(response, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", field);
        assertThat(http.get("/api/v1/schedules/api-bad").getStatusCode()).as(what).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void anUnknownTaskTypeIsRefusedAsForASubmission() {
        assertProblem(http.put("/api/v1/schedules/api-unknown", "{\"everyMs\":60000,\"task\":{\"type\":\"nobody-runs\","
                + "\"payload\":{}}}"), HttpStatus.UNPROCESSABLE_ENTITY, "UNKNOWN_TASK_TYPE", "task.type");
    }

    @Test
    void aClientsTaskMayNotTakeTheKeyOfAScheduledFire() {
        assertProblem(http.post("/api/v1/tasks", "{\"type\":\"" + TYPE + "\",\"payload\":{},"
                + "\"idempotencyKey\":\"schedule:nightly:2026-12-08T01:00:00.000Z\"}"), HttpStatus.BAD_REQUEST,
                "INVALID_REQUEST", "idempotencyKey");
    }

    @Test
    void aScheduleIdTooLongForItsFireKeysIsRefusedOverRSocket() {
        String id = "s".repeat(ScheduleSpec.MAX_SCHEDULE_ID_LENGTH + 1);
        String json = "{\"scheduleId\":\"" + id + "\",\"everyMs\":60000,\"task\":{\"type\":\"" + TYPE + "\",\"payload\":{}}}";

        assertThatThrownBy(() -> client.requester().route(Routes.SCHEDULE_PUT).data(json.getBytes())
                .retrieveMono(ScheduleView.class).block(WITHIN))
                .satisfies(e -> {
                    ProtocolException error = ProtocolErrors.fromPeer(e);
                    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(error.detail()).contains("scheduleId");
                });
    }

    @Test
    void unknownSchedulesAreNotFoundOnEveryCall() {
        assertProblem(http.get("/api/v1/schedules/api-none"), HttpStatus.NOT_FOUND, "NOT_FOUND", "api-none");
        assertProblem(http.post("/api/v1/schedules/api-none/pause"), HttpStatus.NOT_FOUND, "NOT_FOUND", "api-none");
        assertProblem(http.post("/api/v1/schedules/api-none/resume"), HttpStatus.NOT_FOUND, "NOT_FOUND", "api-none");
        assertProblem(http.post("/api/v1/schedules/api-none/trigger"), HttpStatus.NOT_FOUND, "NOT_FOUND", "api-none");
        assertProblem(http.delete("/api/v1/schedules/api-none"), HttpStatus.NOT_FOUND, "NOT_FOUND", "api-none");
        assertProblem(http.get("/api/v1/schedules?limit=0"), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "limit");
    }

    @Test
    void aScheduleFiresATaskThatAWorkerRuns() {
        workers.echo("api-schedule-worker", "api-scheduled-echo");
        ScheduleView put = call(Routes.SCHEDULE_PUT, new ScheduleSpec("api-every-second", null, 1_000L, null,
                TaskSpec.of("api-scheduled-echo", Specs.payload(7)), null, null, null, null, null, null));

        TaskView first = client.awaitStatus(awaitFirstTask(put.scheduleId()), TaskStatus.SUCCEEDED, WITHIN);

        assertThat(first.output()).isEqualTo(Specs.payload(7));
        assertThat(first.scheduleId()).isEqualTo("api-every-second");
        call(Routes.SCHEDULE_DELETE, new ScheduleRef("api-every-second"));
    }

    private String awaitFirstTask(String scheduleId) {
        return org.awaitility.Awaitility.await().atMost(WITHIN)
                .until(() -> call(Routes.SCHEDULE_GET, new ScheduleRef(scheduleId)).lastTaskId(), id -> id != null);
    }

    private ScheduleView call(String route, Object data) {
        return client.requester().route(route).data(data).retrieveMono(ScheduleView.class).block(WITHIN);
    }

    private static ScheduleSpec spec(String id, String cron) {
        return new ScheduleSpec(id, cron, null, null, TaskSpec.of(TYPE, Specs.payload(1)), null, null, null, null, null,
                null);
    }

    private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String code, String named) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        JsonNode problem = HttpCalls.tree(response);
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("detail").asText()).contains(named);
    }
}
