package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.console.Console.Role;
import io.taskwire.worker.faulty.FailingHandler;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The console's tasks in headless Chromium against a scheduler and two worker JVMs: the list
 * following tasks submitted through the API until they succeed, a task's page, aborting a running
 * task, running a failed one again, and running again every failed task of a type after a
 * confirmation. Failed tasks are real: a sleep with a bad payload, and the workers' test-only
 * {@value FailingHandler#TYPE} tasks, which only the test of the confirmation's count submits.
 */
class ConsoleTasksBrowserTest {

    @RegisterExtension
    static final Console console = new Console();

    private static final By TASK_STATUS = By.cssSelector("#task-detail h2 .status");

    private final Browser browser = console.browser();
    private final ConsoleApi api = console.api();

    @Test
    void tasksFromTheApiAppearAndSucceedOnTheListWithoutAReload() {
        console.logInAs(Role.CLIENT);
        browser.open("/console/tasks");
        browser.awaitVisible(By.cssSelector("#tasks table"));
        String page = browser.markDocument();

        List<String> ids = IntStream.range(0, 3).mapToObj(n -> api.echo(Map.of("list", n))).toList();

        ids.forEach(id -> browser.awaitText(status(id), "SUCCEEDED"));
        assertThat(browser.textOf(By.cssSelector("#task-" + ids.get(0) + " td:nth-child(2)"))).isEqualTo("echo");
        assertThat(browser.stillShows(page)).as("the same page, its table fetched again by itself").isTrue();
        browser.screenshot("tasks-list");

        browser.click(By.linkText(ids.get(1)));
        browser.awaitPath("/console/tasks/" + ids.get(1));
        browser.awaitText(TASK_STATUS, "SUCCEEDED");
        assertThat(browser.textOf(By.id("output"))).contains("\"list\"").contains("1");
        assertThat(browser.shows(By.id("abort"))).as("no abort for a task that ended").isFalse();
        browser.screenshot("task-succeeded");
    }

    @Test
    void aClientAbortsARunningTaskFromItsPage() {
        String sleeping = api.sleep(60_000);
        console.logInAs(Role.CLIENT);
        browser.open("/console/tasks/" + sleeping);
        browser.awaitText(TASK_STATUS, "DISPATCHED");
        browser.screenshot("task-running");

        browser.click(By.cssSelector("#abort button"));
        browser.awaitText(TASK_STATUS, "ABORTED");
        assertThat(browser.text()).contains("Aborted " + sleeping);
        assertThat(api.status(sleeping)).isEqualTo("ABORTED");
        assertThat(browser.shows(By.id("abort"))).isFalse();
    }

    @Test
    void aClientRunsAFailedTaskAgainAndSeesTheNewTasksPage() {
        // a sleep of -1 ms is a bad payload: the worker fails it, not retryably
        String failed = api.submit(Map.of("type", "sleep", "payload", Map.of("ms", -1)));
        console.logInAs(Role.CLIENT);
        browser.open("/console/tasks/" + failed);
        browser.awaitText(TASK_STATUS, "FAILED");
        assertThat(browser.textOf(By.id("task-error"))).contains("INVALID_REQUEST").contains("not retryable");

        browser.click(By.cssSelector("#run-again button"));
        browser.await(shown -> browser.path().startsWith("/console/tasks/") && !browser.path().endsWith("/" + failed));
        String again = browser.path().substring("/console/tasks/".length());
        assertThat(browser.text()).contains("A new task runs " + failed + " again");
        assertThat(browser.textOf(By.id("payload"))).contains("\"ms\"").contains("-1");
        browser.awaitText(TASK_STATUS, "FAILED");
        assertThat(api.status(again)).isEqualTo("FAILED");
        browser.screenshot("task-run-again");
    }

    @Test
    void runningAgainEveryFailedTaskOfATypeAsksFirstWithTheCount() {
        String type = FailingHandler.TYPE;
        List<String> failed = IntStream.range(0, 3)
                .mapToObj(n -> api.submit(Map.of("type", type, "payload", Map.of("bulk", n)))).toList();
        console.logInAs(Role.CLIENT);
        browser.open("/console/tasks?type=" + type);
        failed.forEach(id -> browser.awaitText(status(id), "FAILED"));

        browser.click(By.id("run-again-failed"));
        browser.awaitPath("/console/tasks/run-again-failed");
        assertThat(browser.textOf(By.id("run-again-count"))).isEqualTo("3");
        assertThat(browser.textOf(By.cssSelector("#confirm-run-again button"))).isEqualTo("Run 3 again");
        assertThat(api.tasks(type)).as("nothing started before the confirmation").hasSize(3);
        browser.screenshot("tasks-run-again-failed-confirmation");

        browser.click(By.cssSelector("#confirm-run-again button"));
        browser.awaitPath("/console/tasks");
        assertThat(browser.text()).contains("Running again 3 failed tasks of type " + type);
        List<String> all = api.tasks(type).stream().map(task -> (String) task.get("taskId")).toList();
        assertThat(all).hasSize(6).containsAll(failed);
        all.forEach(id -> browser.awaitText(status(id), "FAILED"));
    }

    private static By status(String taskId) {
        return By.cssSelector("#task-" + taskId + " .status");
    }
}
