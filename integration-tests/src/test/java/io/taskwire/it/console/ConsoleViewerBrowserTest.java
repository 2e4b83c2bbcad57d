package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.console.Console.Role;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * What a viewer's login sees of the overview, tasks and schedules in headless Chromium: every page,
 * none of their actions; and each action's POST from the viewer's session, with a good CSRF token,
 * refused (403) without changing anything.
 */
class ConsoleViewerBrowserTest {

    @RegisterExtension
    static final Console console = new Console();

    /** Every control that acts, on any of the pages. */
    private static final List<By> ACTIONS = List.of(By.id("abort"), By.id("run-again"), By.id("run-again-failed"),
            By.id("confirm-run-again"), By.id("schedule-new"), By.id("schedule-actions"), By.id("schedule-delete"),
            By.cssSelector("main form[method=post]"), By.linkText("Edit"), By.partialLinkText("Delete"));

    private final Browser browser = console.browser();
    private final ConsoleApi api = console.api();

    @Test
    void aViewerSeesEveryPageAndNoneOfItsActions() {
        String sleeping = api.sleep(30_000);
        String scheduleId = putSchedule();
        console.logInAs(Role.VIEWER);

        assertThat(browser.path()).isEqualTo("/console");
        browser.awaitText(By.id("workers-online"), "2");
        assertNoActions("overview");
        browser.screenshot("overview-viewer");

        browser.open("/console/tasks?type=sleep");
        browser.awaitVisible(By.id("task-" + sleeping));
        assertNoActions("tasks");
        browser.open("/console/tasks/" + sleeping);
        browser.awaitText(By.cssSelector("#task-detail h2 .status"), "DISPATCHED");
        assertNoActions("a task's page");
        browser.screenshot("task-viewer");
        browser.open("/console/tasks/run-again-failed?type=sleep");
        assertNoActions("the run-again confirmation");

        browser.open("/console/schedules");
        browser.awaitVisible(By.id("schedule-" + scheduleId));
        assertNoActions("schedules");
        browser.screenshot("schedules-viewer");
        browser.open("/console/schedules/" + scheduleId);
        browser.awaitVisible(By.id("schedule-next"));
        assertNoActions("a schedule's page");
        browser.open("/console/schedules/new");
        browser.awaitPath("/console/schedules");
        assertThat(browser.text()).contains("A viewer's session changes nothing");
        api.abort(sleeping);
    }

    @Test
    void aViewersPostsWithAGoodCsrfTokenAreRefusedAndChangeNothing() {
        String sleeping = api.sleep(30_000);
        // a sleep of -1 ms is a bad payload: a failed task that a run again of the failed ones would start again
        String failed = api.submit(Map.of("type", "sleep", "payload", Map.of("ms", -1)));
        String scheduleId = putSchedule();
        String refusedNew = ConsoleApi.unique("browser-viewer-new");
        console.logInAs(Role.VIEWER);
        browser.open("/console/tasks/" + failed);
        browser.awaitText(By.cssSelector("#task-detail h2 .status"), "FAILED");
        browser.await(shown -> "DISPATCHED".equals(api.status(sleeping)));
        int sleeps = api.tasks("sleep").size();
        String csrf = browser.csrfToken();

        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/console/tasks/" + sleeping + "/abort", Map.of());
        posts.put("/console/tasks/" + failed + "/run-again", Map.of("nonce", "0123456789abcdef"));
        posts.put("/console/tasks/run-again-failed",
                Map.of("type", "sleep", "upTo", Instant.now().toString(), "nonce", "0123456789abcdef"));
        posts.put("/console/schedules", Map.of("scheduleId", refusedNew, "kind", "cron", "cron", "0 3 1 1 *",
                "timeZone", "UTC", "type", "echo", "payload", "{}"));
        posts.put("/console/schedules?editing=true", Map.of("scheduleId", scheduleId, "editing", "true", "kind", "cron",
                "cron", "0 4 1 1 *", "timeZone", "UTC", "type", "echo", "payload", "{}"));
        for (String action : List.of("pause", "resume", "trigger", "delete")) {
            posts.put("/console/schedules/" + scheduleId + "/" + action, Map.of());
        }
        posts.forEach((path, fields) -> {
            Map<String, String> form = new LinkedHashMap<>(fields);
            form.put("_csrf", csrf);
            assertThat(browser.post(path, form)).as("POST %s from a viewer's session", path).isEqualTo(403);
        });

        assertThat(api.status(sleeping)).as("not aborted").isEqualTo("DISPATCHED");
        assertThat(api.tasks("sleep")).as("no sleep run again").hasSize(sleeps);
        assertThat(api.scheduleExists(refusedNew)).as("no schedule created").isFalse();
        Map<?, ?> schedule = api.schedule(scheduleId);
        assertThat(schedule.get("paused")).as("not paused").isEqualTo(false);
        assertThat(schedule.get("fired")).as("not triggered").isEqualTo(0);
        assertThat(schedule.get("spec")).asString().as("not edited").contains("0 3 1 1 *");
        // the same CSRF token is good: the actions were refused for the role, not for the token
        assertThat(browser.post("/console/logout", Map.of("_csrf", csrf))).as("a redirect").isZero();
        api.abort(sleeping);
    }

    /** @return the id of a new schedule that fires on the 1st of January only: never while the tests run */
    private String putSchedule() {
        String id = ConsoleApi.unique("browser-viewer");
        api.putSchedule(id, Map.of("cron", "0 3 1 1 *", "task", Map.of("type", "echo", "payload", Map.of())));
        return id;
    }

    private void assertNoActions(String page) {
        for (By action : ACTIONS) {
            assertThat(browser.shows(action)).as("%s shows %s to a viewer", page, action).isFalse();
        }
    }
}
