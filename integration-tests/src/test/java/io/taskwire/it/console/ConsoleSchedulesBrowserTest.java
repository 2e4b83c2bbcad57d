package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.console.Console.Role;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The console's schedules in headless Chromium against a scheduler and two worker JVMs: the form's
 * live preview of the next 5 fire times as a cron expression is typed, a bad one named, saving, the
 * list's search, and pause, resume and trigger from the list, down to the task the trigger fired.
 * Each test uses schedules of its own (ids no other test has).
 */
class ConsoleSchedulesBrowserTest {

    @RegisterExtension
    static final Console console = new Console();

    private static final By PREVIEW_TIMES = By.cssSelector("#fire-preview li time");
    private static final By PREVIEW_ERROR = By.cssSelector("#fire-preview .error");
    private static final Pattern TRIGGERED = Pattern.compile("Triggered (\\S+): task (\\S+)");

    private final Browser browser = console.browser();
    private final ConsoleApi api = console.api();

    @Test
    void theFormPreviewsTheNextFireTimesAsYouTypeAndSaves() {
        String id = ConsoleApi.unique("browser-nightly");
        console.logInAs(Role.CLIENT);
        browser.open("/console/schedules");
        browser.click(By.id("schedule-new"));
        browser.awaitPath("/console/schedules/new");
        String page = browser.markDocument();

        browser.find(By.id("scheduleId")).sendKeys(id);
        browser.find(By.id("type")).sendKeys("echo");
        List<String> hourly = awaitPreview(times -> times.stream().allMatch(at -> at.contains(":00:00 UTC")));

        retype("cron", "30 4 * * *");
        List<String> daily = awaitPreview(times -> times.stream().allMatch(at -> at.contains(" 04:30:00 UTC")));
        assertThat(daily).isNotEqualTo(hourly).doesNotHaveDuplicates();

        retype("cron", "61 4 * * *");
        assertThat(browser.awaitVisible(PREVIEW_ERROR).getText()).contains("cron");
        assertThat(browser.shows(PREVIEW_TIMES)).as("no fire times for a bad cron").isFalse();

        retype("cron", "30 4 * * *");
        assertThat(awaitPreview(times -> true)).isEqualTo(daily);
        assertThat(browser.stillShows(page)).as("the preview came without reloading the form").isTrue();
        browser.screenshot("schedule-form-preview");

        browser.click(By.id("schedule-save"));
        browser.awaitPath("/console/schedules/" + id);
        assertThat(browser.text()).contains("Saved " + id);
        assertThat(browser.findAll(By.cssSelector("#schedule-next li"))).hasSize(5);
        assertThat(api.schedule(id).get("spec")).asString().contains("30 4 * * *").contains("echo");
        browser.screenshot("schedule-page");
    }

    @Test
    void aClientFindsAScheduleByItsIdThenPausesResumesAndTriggersIt() {
        String id = ConsoleApi.unique("browser-report");
        String other = ConsoleApi.unique("browser-other");
        api.putSchedule(id, Map.of("cron", "0 3 * * *", "task", Map.of("type", "echo", "payload", Map.of("report", id))));
        api.putSchedule(other, Map.of("cron", "0 3 * * *", "task", Map.of("type", "echo", "payload", Map.of())));
        console.logInAs(Role.CLIENT);
        browser.open("/console/schedules");
        browser.awaitVisible(row(other));
        String page = browser.markDocument();

        browser.find(By.id("schedule-search")).sendKeys(id);
        browser.await(shown -> !browser.shows(row(other)));
        browser.awaitVisible(row(id));
        assertThat(browser.findAll(By.cssSelector("#schedules tbody tr"))).hasSize(1);
        assertThat(browser.stillShows(page)).as("the list narrowed as typed, without a reload").isTrue();
        browser.screenshot("schedules-list-search");

        browser.click(button(id, "Pause"));
        browser.awaitText(state(id), "paused");
        assertThat(browser.text()).contains(id + " is paused");
        assertThat(api.schedule(id).get("paused")).isEqualTo(true);
        assertThat(browser.shows(row(other))).as("the search kept after the action").isFalse();

        browser.click(button(id, "Resume"));
        browser.awaitText(state(id), "active");
        assertThat(api.schedule(id).get("paused")).isEqualTo(false);

        browser.click(button(id, "Trigger now"));
        Matcher triggered = TRIGGERED.matcher(browser.awaitVisible(By.cssSelector("p.message")).getText());
        assertThat(triggered.find()).as("the message names the task").isTrue();
        String task = triggered.group(2);
        browser.await(shown -> "SUCCEEDED".equals(api.status(task)));
        browser.open("/console/schedules/" + id);
        browser.click(By.linkText(task));
        browser.awaitPath("/console/tasks/" + task);
        browser.awaitText(By.cssSelector("#task-detail h2 .status"), "SUCCEEDED");
        assertThat(browser.textOf(By.id("payload"))).contains(id);
        assertThat(browser.find(By.linkText(id)).getDomAttribute("href")).isEqualTo("/console/schedules/" + id);
    }

    /** Waits until the preview shows 5 fire times that pass the check; @return them */
    private List<String> awaitPreview(Predicate<List<String>> check) {
        return browser.await(shown -> {
            try {
                List<String> times = browser.findAll(PREVIEW_TIMES).stream().map(WebElement::getText).toList();
                return times.size() == 5 && check.test(times) ? times : null;
            } catch (StaleElementReferenceException replaced) {
                return null;
            }
        });
    }

    private void retype(String field, String text) {
        WebElement input = browser.find(By.id(field));
        input.clear();
        input.sendKeys(text);
    }

    private static By row(String scheduleId) {
        return By.id("schedule-" + scheduleId);
    }

    private static By state(String scheduleId) {
        return By.cssSelector("#schedule-" + scheduleId + " .status");
    }

    private static By button(String scheduleId, String label) {
        return By.xpath("//tr[@id='schedule-" + scheduleId + "']//button[normalize-space()='" + label + "']");
    }
}
