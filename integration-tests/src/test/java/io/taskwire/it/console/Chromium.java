package io.taskwire.it.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The browser and its driver the console's tests use: Debian's {@code chromium} and
 * {@code chromedriver}, found on {@code PATH} and handed to Selenium by path, so that Selenium
 * never looks for (or downloads) one of its own. A machine without them skips the browser tests,
 * as one without PostgreSQL skips the tests that need it, unless {@value #SWITCH} is
 * {@code required} (CI sets it): then a missing browser fails them.
 *
 * @param browser the Chromium executable
 * @param driver the chromedriver executable of the same version
 */
record Chromium(Path browser, Path driver) {

    /** The environment variable that turns a missing browser from a skip into a failure. */
    static final String SWITCH = "TASKWIRE_BROWSER_TESTS";

    /** @return the installed browser and driver; a skip, or a failure when required, if either is missing */
    static Chromium installed() {
        Optional<Path> browser = onPath("chromium");
        Optional<Path> driver = onPath("chromedriver");
        if (browser.isPresent() && driver.isPresent()) {
            return new Chromium(browser.get(), driver.get());
        }
        List<String> missing = new ArrayList<>();
        browser.ifPresentOrElse(found -> { }, () -> missing.add("chromium"));
        driver.ifPresentOrElse(found -> { }, () -> missing.add("chromedriver"));
        String message = "the console's browser tests need Debian's headless Chromium: apt-get install chromium "
                + "chromium-driver (not on PATH: " + String.join(", ", missing) + ")";
        if ("required".equals(System.getenv(SWITCH))) {
            throw new AssertionError(message + "; " + SWITCH + "=required");
        }
        return Assumptions.abort(message);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
