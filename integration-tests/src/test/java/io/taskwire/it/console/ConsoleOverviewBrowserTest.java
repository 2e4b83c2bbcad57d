package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.console.Console.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's overview in headless Chromium: the page a login lands on, its chart drawn by uPlot,
 * its numbers filled from the live stream, and both moving with tasks submitted through the API
 * while the page stays the same document.
 */
class ConsoleOverviewBrowserTest {

    @RegisterExtension
    static final Console console = new Console();

    private static final List<String> NUMBERS = List.of("queue-depth", "in-flight", "workers-busy");

    private final Browser browser = console.browser();

    @Test
    void aClientLandsOnTheOverviewWithItsChartAndNumbersFilled() {
        console.logInAs(Role.CLIENT);

        assertThat(browser.path()).isEqualTo("/console");
        browser.awaitText(By.id("stream-state"), "live");
        WebElement canvas = browser.awaitVisible(By.cssSelector("#rates-chart canvas"));
        assertThat(canvas.getSize().getWidth()).as("the chart's width").isGreaterThan(600);
        assertThat(canvas.getSize().getHeight()).as("the chart's height").isGreaterThan(100);
        browser.awaitText(By.id("workers-online"), "2");
        NUMBERS.forEach(number -> browser.await(page -> isWholeNumber(browser.textOf(By.id(number)))));
        browser.await(page -> !"—".equals(browser.textOf(By.id("leader-address"))));
        assertThat(browser.textOf(By.id("role"))).isEqualTo("LEADER");
    }

    @Test
    void tasksFromTheApiMoveTheFiguresWithoutAReload() {
        console.logInAs(Role.CLIENT);
        browser.awaitText(By.id("stream-state"), "live");
        String page = browser.markDocument();

        // an echo each look, so that the newest point is this test's own tasks (no other test runs meanwhile)
        browser.await(shown -> {
            console.api().echo(Map.of("overview", "rates"));
            return newestPointShowsSubmittedAndCompleted();
        });
        browser.await(shown -> !"—".equals(browser.textOf(By.id("p50"))) && !"—".equals(browser.textOf(By.id("p99"))));
        assertThat(browser.textOf(By.id("p50"))).matches("[\\d.]+ m?s");
        browser.screenshot("overview-client");

        // four sleeps fill the two workers' four slots for a few samples, and the echoes after them wait
        IntStream.range(0, 4).forEach(n -> console.api().sleep(4_000));
        IntStream.range(0, 3).forEach(n -> console.api().echo(Map.of("overview", n)));
        browser.await(shown -> "2".equals(browser.textOf(By.id("workers-busy")))
                && wholeNumber(By.id("in-flight")) == 4 && wholeNumber(By.id("queue-depth")) >= 3);
        browser.screenshot("overview-busy");
        browser.await(shown -> "0".equals(browser.textOf(By.id("workers-busy"))));
        assertThat(browser.stillShows(page)).as("the same page, moved by its stream").isTrue();
    }

    /**
     * Points at the chart's newest point, as a person reading it would, and reads uPlot's legend
     * there: whether it shows tasks submitted and completed per second. The pointer moves in the
     * page's own script, at the plot's right edge.
     */
    private boolean newestPointShowsSubmittedAndCompleted() {
        return Boolean.TRUE.equals(browser.script("""
                const over = document.querySelector('#rates-chart .u-over');
                const box = over.getBoundingClientRect();
                over.dispatchEvent(new MouseEvent('mousemove',
                        {clientX: box.right - 1, clientY: box.top + box.height / 2, bubbles: true}));
                const value = (n) => parseFloat(document.querySelector(
                        '#rates-chart .u-legend .u-series:nth-child(' + n + ') .u-value').textContent) || 0;
                return value(2) > 0 && value(3) > 0;"""));
    }

    private int wholeNumber(By element) {
        String text = browser.textOf(element);
        return isWholeNumber(text) ? Integer.parseInt(text) : -1;
    }

    private static boolean isWholeNumber(String text) {
        return text != null && text.matches("\\d+");
    }
}
