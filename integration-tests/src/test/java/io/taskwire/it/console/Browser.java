package io.taskwire.it.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, driven by Selenium through chromedriver, with a fresh profile of its own
 * (deleted on {@link #close()}): what a person's browser does with the console, from typing a token
 * to htmx reloading a table. Every wait is bounded ({@link #WAIT}); {@link #screenshot} keeps a
 * picture of the page in {@code target/console-screenshots/<name>.png} for a reviewer to look at.
 */
final class Browser implements AutoCloseable {

    /** The longest any wait for the page lasts. */
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots");
    private static final Path LOGS = Path.of(System.getProperty("basedir", "."), "target", "browser-logs");
    /** The tests use WebDriver only, no DevTools module: Selenium's warning that it has none for this version is noise. */
    private static final Logger CDP_VERSIONS = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSIONS.setLevel(Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final Path profile;
    private final String origin;

    private Browser(ChromeDriver driver, Path profile, String origin) {
        this.driver = driver;
        this.profile = profile;
        this.origin = origin;
    }

    /**
     * Starts Chromium headless with the flags that keep it off the network it cannot reach.
     *
     * @param origin where {@link #open} paths lead, such as {@code http://127.0.0.1:8080}
     */
    static Browser start(Chromium chromium, String origin) throws IOException {
        Path profile = Files.createTempDirectory("taskwire-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        options.setPageLoadTimeout(WAIT);
        options.setScriptTimeout(WAIT);
        // browser and driver given by path: Selenium Manager, which would look for (and download) its own, never runs
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .withLogFile(Files.createDirectories(LOGS).resolve("chromedriver.log").toFile())
                .withTimeout(Duration.ofSeconds(30))
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile, origin);
        } catch (RuntimeException failed) {
            deleteTree(profile);
            throw failed;
        }
    }

    /** Goes to a path of the console's origin and waits for the page to load. */
    void open(String path) {
        openUrl(origin + path);
    }

    /** Goes to an address anywhere (another origin of the same scheduler, say). */
    void openUrl(String url) {
        driver.get(url);
    }

    /** @return the path of the page shown now */
    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** @return the URL of the page shown now, with its query */
    String url() {
        return driver.getCurrentUrl();
    }

    /** Waits until the condition holds (returns neither null nor false) and returns what it returned. */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition::apply);
    }

    /** Waits until the page shows that path. */
    void awaitPath(String path) {
        await(page -> path.equals(path()));
    }

    /** Waits for an element to be shown. */
    WebElement awaitVisible(By element) {
        return await(ExpectedConditions.visibilityOfElementLocated(element));
    }

    /** Waits until an element holds that text. */
    void awaitText(By element, String text) {
        await(ExpectedConditions.textToBe(element, text));
    }

    /**
     * Clicks an element once it is shown. A table that htmx reloads replaces its elements every few
     * seconds: an element replaced between finding and clicking is found again.
     */
    void click(By element) {
        await(page -> {
            try {
                awaitVisible(element).click();
                return true;
            } catch (StaleElementReferenceException replaced) {
                return false;
            }
        });
    }

    WebElement find(By element) {
        return driver.findElement(element);
    }

    /** @return the elements shown now (no wait) */
    List<WebElement> findAll(By element) {
        return driver.findElements(element);
    }

    /** @return an element's text now, or null when the page has no such element (no wait) */
    String textOf(By element) {
        try {
            return driver.findElements(element).stream().findFirst().map(WebElement::getText).orElse(null);
        } catch (StaleElementReferenceException replaced) {
            return null;
        }
    }

    /** Runs a script in the page shown now; @return what it returned */
    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** @return whether the page shows such an element now (no wait) */
    boolean shows(By element) {
        return !driver.findElements(element).isEmpty();
    }

    /** @return the page's visible text */
    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** @return the page's HTML as the browser holds it now */
    String source() {
        return driver.getPageSource();
    }

    /** @return the session's CSRF token, as the page's forms carry it */
    String csrfToken() {
        return driver.findElement(By.cssSelector("input[name=_csrf]")).getDomProperty("value");
    }

    /**
     * Sends a form of the page without one of its fields, as a user editing the page could; in one
     * script, so that no reload of the page's table comes between.
     *
     * @param form a CSS selector of the form
     */
    void submitWithout(String form, String field) {
        driver.executeScript("""
                const form = document.querySelector(arguments[0]);
                form.querySelector('[name="' + arguments[1] + '"]').remove();
                form.submit();""", form, field);
    }

    /**
     * Marks the document shown now, so that {@link #stillShows} can tell whether the browser has
     * loaded another since: the page changed without a reload only if the mark is still there.
     */
    String markDocument() {
        String mark = UUID.randomUUID().toString();
        driver.executeScript("window.taskwireTestMark = arguments[0];", mark);
        return mark;
    }

    /** @return whether the document marked by {@link #markDocument} is still the one shown */
    boolean stillShows(String mark) {
        return mark.equals(driver.executeScript("return window.taskwireTestMark;"));
    }

    /**
     * POSTs a form from the page shown now, as its own script would: same origin, the session's
     * cookie, redirects not followed.
     *
     * @return the HTTP status (0 for a redirect, which the browser hides)
     */
    int post(String path, Map<String, String> fields) {
        Object status = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', body: new URLSearchParams(arguments[1]),
                        credentials: 'same-origin', redirect: 'manual'})
                    .then(response => done(response.status), failure => done(-1));""", path, fields);
        return ((Number) status).intValue();
    }

    Optional<Cookie> cookie(String name) {
        return Optional.ofNullable(driver.manage().getCookieNamed(name));
    }

    /** Puts a cookie into the jar for the page's origin (open a page of that origin first). */
    void putCookie(Cookie cookie) {
        driver.manage().deleteCookieNamed(cookie.getName());
        driver.manage().addCookie(cookie);
    }

    /** Forgets every cookie: the next page is a stranger's. */
    void clearCookies() {
        driver.manage().deleteAllCookies();
    }

    /** Writes a PNG of the page shown now to {@code target/console-screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Path file = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends Chromium and its driver, and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a profile left in the temporary folder is harmless
        }
    }
}
