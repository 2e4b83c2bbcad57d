package io.taskwire.scheduler.console.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.console.ConsoleBrowser;
import io.taskwire.scheduler.console.EventStream;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.store.TaskRow;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.TestTokens;
import io.taskwire.scheduler.task.TaskLedger;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import reactor.core.publisher.Mono;

/**
 * The console's tasks pages over real HTTP, with a real session: the list filtered and paged by
 * cursor, a task's detail, abort, run again (once per form however often it is sent), run again
 * every failed task of a type after a confirmation, the live signal of the list, and a viewer who
 * sees all of it and can do none of it.
 */
@SchedulerTest
class ConsoleTasksTest extends WithFakeWorkersAndClient {

    private static final Pattern ROW = Pattern.compile("<tr id=\"task-([0-9a-f-]{36})\"");
    private static final Pattern NEXT = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"");
    private static final Pattern NONCE = Pattern.compile("name=\"nonce\" value=\"([0-9a-f]+)\"");

    @LocalServerPort
    int httpPort;

    @Autowired
    TaskLedger ledger;

    @Autowired
    WorkerRegistry registry;

    @Test
    void theListFiltersByTypeAndStatusAndPagesByCursorWithoutRepeatingOrSkipping() throws Exception {
        // a worker that takes these types, drained: the tasks stay pending
        workers.silent("console-tasks-drained", "console-paged", "console-other");
        registry.drain("console-tasks-drained");
        List<TaskSpec> specs = IntStream.range(0, 60).mapToObj(i -> Specs.spec("console-paged", i)).toList();
        Set<String> submitted = new LinkedHashSet<>();
        client.submitAll(specs).forEach(view -> submitted.add(view.taskId()));
        client.submit(Specs.spec("console-other", 1));
        ConsoleBrowser browser = loggedIn(TestTokens.CLIENT);

        HttpResponse<String> first = browser.get("/console/tasks?type=console-paged&status=PENDING");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(rows(first.body())).hasSize(ConsoleTasks.PAGE).isSubsetOf(submitted);
        assertThat(first.body()).doesNotContain("console-other").contains("sse-connect=\"/console/tasks/stream\"");
        String next = next(first.body());
        assertThat(next).contains("type=console-paged").contains("status=PENDING");

        HttpResponse<String> second = browser.get(next);
        List<String> all = new ArrayList<>(rows(first.body()));
        all.addAll(rows(second.body()));
        assertThat(all).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(second.body()).as("a later page is not live").doesNotContain("sse-connect").doesNotContain("next-page");

        List<String> oldestFirst = rows(browser.get("/console/tasks?type=console-paged&order=oldest").body());
        assertThat(oldestFirst.get(0)).isEqualTo(all.get(59));
        assertThat(rows(browser.get("/console/tasks?type=console-paged&status=SUCCEEDED").body())).isEmpty();
        assertThat(rows(browser.get("/console/tasks?type=console-paged&from=2999-01-01T00:00").body())).isEmpty();
    }

    @Test
    void aBadFilterIsNamedOnThePage() throws Exception {
        ConsoleBrowser browser = loggedIn(TestTokens.CLIENT);

        assertThat(browser.get("/console/tasks?status=NOPE").body()).contains("status is not a task status: NOPE");
        assertThat(browser.get("/console/tasks?from=yesterday").body()).contains("from must be a time");
        assertThat(browser.get("/console/tasks?after=bm90LWEtY3Vyc29y").body()).contains("after is not a cursor");
        assertThat(browser.get("/console/tasks/run-again-failed?type=%20").body()).contains("type must name a task type")
                .doesNotContain("id=\"confirm-run-again\"");
    }

    @Test
    void aTasksDetailShowsItsSpecAttemptWorkerFenceTimingsAndOutput() throws Exception {
        workers.echo("console-tasks-echo", "console-echo");
        TaskView task = client.submit(new TaskSpec("console-echo", Json.mapper().createObjectNode()
                .put("greeting", "hello-console"), null, null, null, null, null, null));
        client.awaitStatus(task.taskId(), TaskStatus.SUCCEEDED, WITHIN);
        ConsoleBrowser browser = loggedIn(TestTokens.CLIENT);

        String page = browser.get("/console/tasks/" + task.taskId()).body();

        TaskRow held = ledger.find(task.taskId()).orElseThrow().row();
        assertThat(page).contains("SUCCEEDED").contains("console-tasks-echo").contains(held.fence())
                .contains("1 (failed 0 of at most " + held.maxAttempts() + ")").contains("hello-console")
                .contains("id=\"output\"").contains("Run again").doesNotContain("id=\"abort\"");
        assertThat(browser.get("/console/tasks/" + task.taskId() + "/stream").statusCode())
                .as("a final task's page does not follow it").isEqualTo(204);
        assertThat(browser.get("/console/tasks/no-such-task").body()).contains("NOT_FOUND");
    }

    @Test
    void aClientAbortsARunningTaskAndRunsItAgainOnceHoweverOftenTheFormIsSent() throws Exception {
        workers.silent("console-tasks-silent", "console-stuck");
        TaskView stuck = client.submit(Specs.spec("console-stuck", 7));
        client.awaitStatus(stuck.taskId(), TaskStatus.DISPATCHED, WITHIN);
        ConsoleBrowser browser = loggedIn(TestTokens.CLIENT);
        String page = browser.get("/console/tasks/" + stuck.taskId()).body();
        assertThat(page).contains("id=\"abort\"");

        assertThat(browser.post("/console/tasks/" + stuck.taskId() + "/abort", null).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(client.get(stuck.taskId()).status()).isEqualTo(TaskStatus.DISPATCHED);
        browser.post("/console/tasks/" + stuck.taskId() + "/abort", browser.csrf(page));
        assertThat(client.get(stuck.taskId()).status()).isEqualTo(TaskStatus.ABORTED);

        String aborted = browser.get("/console/tasks/" + stuck.taskId()).body();
        Map<String, String> form = Map.of("nonce", nonce(aborted));
        HttpResponse<String> again = browser.post("/console/tasks/" + stuck.taskId() + "/run-again", browser.csrf(aborted), form);
        HttpResponse<String> twice = browser.post("/console/tasks/" + stuck.taskId() + "/run-again", browser.csrf(aborted), form);

        String location = again.headers().firstValue("Location").orElseThrow();
        assertThat(twice.headers().firstValue("Location")).as("the same form sent twice").hasValue(location);
        String newId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(newId).isNotEqualTo(stuck.taskId());
        TaskView rerun = client.get(newId);
        assertThat(rerun.type()).isEqualTo("console-stuck");
        assertThat(ledger.find(newId).orElseThrow().spec().payload()).isEqualTo(Specs.payload(7));
    }

    @Test
    void runningAgainAllFailedTasksOfATypeAsksFirstThenStartsOneTaskForEach() throws Exception {
        workers.start(FakeWorker.hello("console-tasks-failing", 4, "console-flaky"),
                assignment -> Mono.just(FakeWorker.result(assignment, "console-tasks-failing", Outcome.FAILED)));
        List<TaskView> failed = client.submitAll(List.of(Specs.withAttempts("console-flaky", 1, 1),
                Specs.withAttempts("console-flaky", 2, 1), Specs.withAttempts("console-flaky", 3, 1)));
        failed.forEach(task -> client.awaitStatus(task.taskId(), TaskStatus.FAILED, WITHIN));
        ConsoleBrowser browser = loggedIn(TestTokens.CLIENT);
        assertThat(browser.get("/console/tasks?type=console-flaky").body()).contains("id=\"run-again-failed\"");

        String confirm = browser.get("/console/tasks/run-again-failed?type=console-flaky").body();
        assertThat(confirm).contains("<strong id=\"run-again-count\">3</strong>").contains("Run 3 again");
        assertThat(ledger.list(TaskQuery.newest(null, "console-flaky", 10)).block(WITHIN)).hasSize(3);

        Matcher upTo = Pattern.compile("name=\"upTo\" value=\"([^\"]+)\"").matcher(confirm);
        assertThat(upTo.find()).isTrue();
        Map<String, String> form = Map.of("type", "console-flaky", "upTo", upTo.group(1), "nonce", nonce(confirm));
        HttpResponse<String> ran = browser.post("/console/tasks/run-again-failed", browser.csrf(confirm), form);
        browser.post("/console/tasks/run-again-failed", browser.csrf(confirm), form);

        assertThat(ran.statusCode()).isEqualTo(302);
        assertThat(ledger.list(TaskQuery.newest(null, "console-flaky", 10)).block(WITHIN))
                .as("three new tasks, however often the confirmation is sent").hasSize(6);
        await().atMost(WITHIN).until(() -> ledger.list(TaskQuery.newest(TaskStatus.FAILED, "console-flaky", 10))
                .block(WITHIN).size() == 6);
    }

    @Test
    void aViewerSeesTasksAndTheirDetailAndCanChangeNothing() throws Exception {
        workers.silent("console-tasks-viewed", "console-viewed");
        TaskView stuck = client.submit(Specs.spec("console-viewed", 3));
        client.awaitStatus(stuck.taskId(), TaskStatus.DISPATCHED, WITHIN);
        ConsoleBrowser viewer = loggedIn(TestTokens.VIEWER);

        assertThat(rows(viewer.get("/console/tasks?type=console-viewed").body())).containsExactly(stuck.taskId());
        String page = viewer.get("/console/tasks/" + stuck.taskId()).body();
        assertThat(page).contains("DISPATCHED").doesNotContain("id=\"abort\"").doesNotContain("id=\"run-again\"");
        assertThat(viewer.get("/console/tasks/run-again-failed?type=console-viewed").body())
                .doesNotContain("id=\"confirm-run-again\"");

        HttpResponse<String> refused = viewer.post("/console/tasks/" + stuck.taskId() + "/abort", viewer.csrf(page));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(client.get(stuck.taskId()).status()).isEqualTo(TaskStatus.DISPATCHED);
    }

    @Test
    void theListsStreamSignalsANewTaskAndATaskPageFollowsItsTaskUntilItEnds() throws Exception {
        workers.silent("console-tasks-streamed", "console-streamed");
        ConsoleBrowser browser = loggedIn(TestTokens.VIEWER);
        try (EventStream list = new EventStream(); EventStream one = new EventStream()) {
            browser.open("/console/tasks/stream", list);
            await().atMost(WITHIN).until(() -> list.response() != null);
            assertThat(list.response().statusCode()).isEqualTo(200);
            assertThat(list.response().headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));

            TaskView task = client.submit(Specs.spec("console-streamed", 1));

            await().atMost(WITHIN).until(() -> !list.data("tasks").isEmpty());
            client.awaitStatus(task.taskId(), TaskStatus.DISPATCHED, WITHIN);
            browser.open("/console/tasks/" + task.taskId() + "/stream", one);
            await().atMost(WITHIN).until(() -> one.response() != null);
            client.abort(task.taskId());
            await("the stream ends with the task").atMost(WITHIN).until(one::ended);
            assertThat(one.data("task")).isNotEmpty();
            assertThat(list.ended()).isFalse();
        }
    }

    private ConsoleBrowser loggedIn(String token) throws Exception {
        return ConsoleBrowser.loggedIn(httpPort, token);
    }

    private static List<String> rows(String html) {
        List<String> ids = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            ids.add(row.group(1));
        }
        return ids;
    }

    private static String next(String html) {
        Matcher next = NEXT.matcher(html);
        assertThat(next.find()).as("a link to the next page").isTrue();
        return next.group(1).replace("&amp;", "&");
    }

    private static String nonce(String html) {
        Matcher nonce = NONCE.matcher(html);
        assertThat(nonce.find()).as("a nonce in the form").isTrue();
        return nonce.group(1);
    }
}
