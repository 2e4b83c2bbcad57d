package io.taskwire.scheduler.console.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.console.ConsoleBrowser;
import io.taskwire.scheduler.console.EventStream;
import io.taskwire.messages.Json;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.TestTokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The console's schedule pages over real HTTP, as a browser uses them: the list and its search, pause,
 * resume and trigger with the session's CSRF token, the form's preview of the next fire times, and
 * saving from the form; each checked through the HTTP API. A viewer sees and changes nothing.
 */
@SchedulerTest
class ConsoleSchedulesTest extends WithFakeWorkersAndClient {

    private static final Pattern TIME = Pattern.compile("<time datetime=\"([^\"]+)\"");

    @LocalServerPort
    int httpPort;

    @Autowired
    TestRestTemplate api;

    @Test
    void theListShowsSchedulesPutThroughTheApiAndTheSearchNarrowsIt() throws Exception {
        workers.echo("cs-list-w", "cs-report", "cs-mail");
        put("cs-nightly-report", "{\"cron\":\"0 2 * * *\",\"startAt\":\"2030-01-01T00:00:00Z\","
                + "\"task\":{\"type\":\"cs-report\",\"payload\":{}}}");
        put("cs-hourly-mail", "{\"everyMs\":300000,\"task\":{\"type\":\"cs-mail\",\"payload\":{}}}");
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.CLIENT);

        String page = browser.get("/console/schedules").body();
        assertThat(row(page, "cs-nightly-report")).contains("0 2 * * * UTC").contains("cs-report").contains("active")
                .contains("2030-01-01T02:00:00Z").contains("Pause").contains("Trigger now");
        assertThat(row(page, "cs-hourly-mail")).contains("every 5 min").contains("cs-mail");
        assertThat(page).contains("id=\"schedule-search\"").contains("id=\"schedule-new\"");

        String byId = browser.get("/console/schedules?q=NIGHTLY").body();
        assertThat(byId).contains("id=\"schedule-cs-nightly-report\"").doesNotContain("id=\"schedule-cs-hourly-mail\"");
        String byType = browser.get("/console/schedules/table?q=cs-Mail").body();
        assertThat(byType).as("the fragment the search box swaps in").doesNotContain("<html").contains("<table")
                .contains("id=\"schedule-cs-hourly-mail\"").doesNotContain("id=\"schedule-cs-nightly-report\"");
        assertThat(browser.get("/console/schedules?q=no-such-schedule").body()).contains("No schedule matches no-such-schedule");
    }

    @Test
    void aClientPausesResumesAndTriggersAScheduleAndSeesItsLastOutcome() throws Exception {
        workers.echo("cs-act-w", "cs-act");
        put("cs-act", "{\"cron\":\"0 3 * * *\",\"task\":{\"type\":\"cs-act\",\"payload\":{\"n\":1}}}");
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.CLIENT);
        String csrf = browser.csrf(browser.get("/console/schedules").body());

        assertThat(browser.post("/console/schedules/cs-act/pause", null, Map.of()).statusCode()).as("no CSRF token")
                .isEqualTo(403);
        assertThat(view("cs-act").paused()).isFalse();
        HttpResponse<String> paused = browser.post("/console/schedules/cs-act/pause", csrf, Map.of("q", "cs-act"));
        assertThat(paused.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to)
                .endsWith("/console/schedules?q=cs-act"));
        assertThat(view("cs-act").paused()).isTrue();
        String pausedPage = browser.get("/console/schedules?q=cs-act").body();
        assertThat(pausedPage).contains("cs-act is paused: it fires nothing until resumed");
        assertThat(row(pausedPage, "cs-act")).contains("paused").contains("Resume");
        browser.post("/console/schedules/cs-act/resume", csrf, Map.of());
        assertThat(view("cs-act").paused()).isFalse();
        assertThat(browser.get("/console/schedules").body()).contains("cs-act is active again");

        browser.post("/console/schedules/cs-act/trigger", csrf, Map.of());
        String said = browser.get("/console/schedules").body();
        assertThat(said).contains("Triggered cs-act: task ");
        String taskId = await().atMost(WITHIN).until(() -> view("cs-act").lastTaskId(), id -> id != null);
        await().atMost(WITHIN).until(() -> task(taskId).status() == TaskStatus.SUCCEEDED);
        assertThat(view("cs-act").fired()).isEqualTo(1);
        assertThat(row(browser.get("/console/schedules?q=cs-act").body(), "cs-act")).contains("SUCCEEDED")
                .contains("href=\"/console/tasks/" + taskId + "\"");

        HttpResponse<String> unknown = browser.post("/console/schedules/cs-none/trigger", csrf, Map.of());
        assertThat(unknown.statusCode()).isEqualTo(302);
        assertThat(browser.get("/console/schedules").body()).contains("NOT_FOUND: no schedule cs-none");
    }

    @Test
    void aViewerSeesTheSchedulesAndCanChangeNothing() throws Exception {
        workers.echo("cs-view-w", "cs-view");
        put("cs-view", "{\"cron\":\"0 4 * * *\",\"task\":{\"type\":\"cs-view\",\"payload\":{}}}");
        ConsoleBrowser viewer = ConsoleBrowser.loggedIn(httpPort, TestTokens.VIEWER);

        String page = viewer.get("/console/schedules?q=cs-view").body();
        assertThat(row(page, "cs-view")).contains("cs-view").doesNotContain("<form").doesNotContain("Edit");
        assertThat(page).doesNotContain("id=\"schedule-new\"");
        assertThat(viewer.get("/console/schedules/cs-view").body()).contains("Next fire times")
                .doesNotContain("id=\"schedule-actions\"");
        String csrf = viewer.csrf(page);
        for (String action : List.of("pause", "trigger", "delete")) {
            assertThat(viewer.post("/console/schedules/cs-view/" + action, csrf, Map.of()).statusCode()).as(action)
                    .isEqualTo(403);
        }
        assertThat(viewer.post("/console/schedules/preview", csrf, form("cs-view", "0 4 * * *")).statusCode()).isEqualTo(403);
        assertThat(viewer.post("/console/schedules", csrf, form("cs-view-2", "0 4 * * *")).statusCode()).isEqualTo(403);
        assertThat(viewer.get("/console/schedules/new").statusCode()).as("no form for a viewer").isEqualTo(302);
        ScheduleView after = view("cs-view");
        assertThat(after.paused()).isFalse();
        assertThat(after.fired()).isZero();
    }

    @Test
    void thePreviewShowsTheNextFiveFireTimesOrNamesTheFieldThatIsWrong() throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.CLIENT);
        String page = browser.get("/console/schedules/new").body();
        assertThat(page).contains("id=\"schedule-form\"").contains("id=\"fire-preview\"")
                .contains("hx-post=\"/console/schedules/preview\"");
        String csrf = browser.csrf(page);

        Map<String, String> berlin = form("cs-preview", "30 2 * * *");
        berlin.put("timeZone", "Europe/Berlin");
        berlin.put("startAt", "2030-03-29T00:00");
        HttpResponse<String> preview = browser.post("/console/schedules/preview", csrf, berlin);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(times(preview.body())).as("02:30 does not exist on 31 March 2030 in Berlin: the end of the gap")
                .containsExactly("2030-03-29T01:30:00Z", "2030-03-30T01:30:00Z", "2030-03-31T01:00:00Z",
                        "2030-04-01T00:30:00Z", "2030-04-02T00:30:00Z");
        assertThat(preview.body()).contains("Fri 2030-03-29 02:30:00 CET").contains("Sun 2030-03-31 03:00:00 CEST");
        assertThat(api.getForEntity("/api/v1/schedules/cs-preview", String.class).getStatusCode())
                .as("a preview stores nothing").isEqualTo(HttpStatus.NOT_FOUND);

        HttpResponse<String> badCron = browser.post("/console/schedules/preview", csrf, form("cs-preview", "61 * * * *"));
        assertThat(badCron.body()).contains("INVALID_REQUEST: cron: &#39;61 * * * *&#39; does not parse");
        assertThat(times(badCron.body())).isEmpty();
        Map<String, String> badZone = form("cs-preview", "0 * * * *");
        badZone.put("timeZone", "Mars/Olympus");
        assertThat(browser.post("/console/schedules/preview", csrf, badZone).body()).contains("INVALID_REQUEST: timeZone");
        Map<String, String> badPayload = form("cs-preview", "0 * * * *");
        badPayload.put("payload", "{not json");
        assertThat(browser.post("/console/schedules/preview", csrf, badPayload).body()).contains("INVALID_REQUEST: task.payload");
    }

    @Test
    void savingTheFormCreatesAScheduleTheApiReads() throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.CLIENT);
        String csrf = browser.csrf(browser.get("/console/schedules/new").body());
        Map<String, String> every = form("cs-form", "");
        every.put("kind", "every");
        every.put("every", "90");
        every.put("everyUnit", "S");
        every.put("jitter", "2");
        every.put("jitterUnit", "S");
        every.put("payload", "{\"n\": 7}");
        every.put("overlap", "ALLOW");

        HttpResponse<String> saved = browser.post("/console/schedules", csrf, every);
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to)
                .endsWith("/console/schedules/cs-form"));
        ScheduleView view = view("cs-form");
        assertThat(view.spec().everyMs()).isEqualTo(90_000);
        assertThat(view.spec().jitterMs()).isEqualTo(2_000);
        assertThat(view.spec().overlap().name()).isEqualTo("ALLOW");
        assertThat(view.spec().task().payload().get("n").asInt()).isEqualTo(7);
        assertThat(browser.get("/console/schedules/cs-form").body()).contains("Saved cs-form").contains("every 90 s")
                .contains("{&quot;n&quot;:7}");

        HttpResponse<String> again = browser.post("/console/schedules", csrf, every);
        assertThat(again.statusCode()).as("the form again, with the error").isEqualTo(200);
        assertThat(again.body()).contains("scheduleId: a schedule &#39;cs-form&#39; exists already");
        HttpResponse<String> unknownType = browser.post("/console/schedules", csrf, typed(form("cs-form-2", "0 * * * *"), "cs-nobody"));
        assertThat(unknownType.body()).contains("UNKNOWN_TASK_TYPE: task.type");
        assertThat(api.getForEntity("/api/v1/schedules/cs-form-2", String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void editingAScheduleKeepsItsHistoryAndTheTaskOptionsTheFormDoesNotShow() throws Exception {
        workers.echo("cs-edit-w", "cs-edit");
        put("cs-edit", "{\"cron\":\"0 5 * * *\",\"timeZone\":\"Europe/Berlin\","
                + "\"task\":{\"type\":\"cs-edit\",\"payload\":{\"a\":[1,2]},\"timeoutMs\":4321,\"maxAttempts\":2}}");
        String taskId = Json.read(api.postForEntity("/api/v1/schedules/cs-edit/trigger", null, String.class).getBody()
                .getBytes(StandardCharsets.UTF_8), TaskView.class).taskId();
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.CLIENT);

        String edit = browser.get("/console/schedules/cs-edit/edit").body();
        assertThat(edit).contains("value=\"0 5 * * *\"").contains("value=\"Europe/Berlin\"").contains("readonly");
        assertThat(edit).as("the payload, indented").contains("&quot;a&quot; : [ 1, 2 ]");
        Map<String, String> changed = typed(form("cs-edit", "15 6 * * *"), "cs-edit");
        changed.put("timeZone", "Europe/Berlin");
        changed.put("editing", "true");
        assertThat(browser.post("/console/schedules", browser.csrf(edit), changed).statusCode()).isEqualTo(302);

        ScheduleView after = view("cs-edit");
        assertThat(after.spec().cron()).isEqualTo("15 6 * * *");
        assertThat(after.fired()).isEqualTo(1);
        assertThat(after.lastTaskId()).isEqualTo(taskId);
        assertThat(after.spec().task().timeoutMs()).isEqualTo(4321);
        assertThat(after.spec().task().maxAttempts()).isEqualTo(2);

        String detail = browser.get("/console/schedules/cs-edit/delete").body();
        assertThat(detail).contains("id=\"schedule-delete\"").contains(taskId);
        assertThat(browser.post("/console/schedules/cs-edit/delete", browser.csrf(detail), Map.of()).statusCode()).isEqualTo(302);
        assertThat(api.getForEntity("/api/v1/schedules/cs-edit", String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    // ---- the form, the API, the page

    private static Map<String, String> form(String scheduleId, String cron) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("scheduleId", scheduleId);
        form.put("kind", "cron");
        form.put("cron", cron);
        form.put("every", "5");
        form.put("everyUnit", "MIN");
        form.put("timeZone", "UTC");
        form.put("type", SchedulerTest.DECLARED_TYPE);
        form.put("payload", "{}");
        form.put("misfire", "FIRE_ONCE");
        form.put("overlap", "SKIP");
        form.put("startAt", "");
        form.put("endAt", "");
        form.put("jitter", "0");
        form.put("jitterUnit", "S");
        return form;
    }

    private static Map<String, String> typed(Map<String, String> form, String type) {
        form.put("type", type);
        return form;
    }

    @Test
    void theListsStreamSignalsAScheduleChangedThroughTheApi() throws Exception {
        workers.echo("cs-stream-w", "cs-stream");
        put("cs-stream", "{\"cron\":\"0 3 * * *\",\"task\":{\"type\":\"cs-stream\",\"payload\":{}}}");
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.VIEWER);
        try (EventStream stream = new EventStream()) {
            browser.open("/console/schedules/stream", stream);
            await().atMost(WITHIN).until(() -> stream.response() != null);

            // a pause fires no task: only the schedule's own change tells the page
            assertThat(api.postForEntity("/api/v1/schedules/cs-stream/pause", null, String.class).getStatusCode())
                    .isEqualTo(HttpStatus.OK);

            await().atMost(WITHIN).until(() -> !stream.data("schedules").isEmpty());
        }
    }

    private void put(String scheduleId, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> put = api.exchange("/api/v1/schedules/" + scheduleId, HttpMethod.PUT,
                new HttpEntity<>(json, headers), String.class);
        assertThat(put.getStatusCode()).as(put.getBody()).isEqualTo(HttpStatus.OK);
    }

    private ScheduleView view(String scheduleId) {
        return Json.read(api.getForEntity("/api/v1/schedules/" + scheduleId, String.class).getBody()
                .getBytes(StandardCharsets.UTF_8), ScheduleView.class);
    }

    private TaskView task(String taskId) {
        return Json.read(api.getForEntity("/api/v1/tasks/" + taskId, String.class).getBody()
                .getBytes(StandardCharsets.UTF_8), TaskView.class);
    }

    /** @return the list's row of that schedule */
    private static String row(String page, String scheduleId) {
        int start = page.indexOf("<tr id=\"schedule-" + scheduleId + "\"");
        assertThat(start).as("a row for " + scheduleId).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    private static List<String> times(String html) {
        Matcher time = TIME.matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (time.find()) {
            found.add(time.group(1));
        }
        return found;
    }
}
