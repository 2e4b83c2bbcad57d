package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.Tokens;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.opentest4j.TestAbortedException;

/**
 * The console in a browser, for a test class of the console's pages: register it as
 * {@code @RegisterExtension static final Console console = new Console();}. Before the class's
 * first test it finds Chromium (where it is missing, every test of the class is skipped, or fails
 * when {@code TASKWIRE_BROWSER_TESTS=required}), starts one {@link ConsoleCluster}
 * (a scheduler and two worker JVMs) and one {@link Browser} for every test of the class, and ends
 * them after the last. Before each test it forgets every cookie and resumes any drained worker, so
 * each test starts logged out with both workers ONLINE; after a failed test it keeps a screenshot
 * named after the test.
 */
final class Console implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** Who logs in, by the token they type. */
    enum Role {
        /** May look and act (drain, resume). */
        CLIENT(Tokens.CLIENT),
        /** Only looks. */
        VIEWER(Tokens.VIEWER);

        final String token;

        Role(String token) {
            this.token = token;
        }
    }

    static final String LOGIN = "/console/login";

    private ConsoleCluster cluster;
    private Browser browser;
    private String skipped;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Chromium chromium;
        try {
            chromium = Chromium.installed();
        } catch (TestAbortedException missing) {
            // skipped test by test, so that each shows as skipped with the reason (a skipped class shows nothing)
            skipped = missing.getMessage();
            System.err.println(context.getRequiredTestClass().getSimpleName() + " skipped: " + skipped);
            return;
        }
        cluster = ConsoleCluster.start();
        // Chromium starts while the worker JVMs do
        browser = Browser.start(chromium, cluster.origin());
        cluster.awaitWorkers();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipped != null) {
            Assumptions.abort(skipped);
        }
        cluster.resumeAll();
        // cookies can only be touched on a page of their origin
        browser.open(LOGIN);
        browser.clearCookies();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null && context.getExecutionException().isPresent()) {
            browser.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** Logs in with the role's token on the login page and waits for the page it leads to. */
    void logInAs(Role role) {
        logIn(role.token);
        assertThat(browser.path()).as("logged in as %s (%s)", role, browser.url()).isNotEqualTo(LOGIN);
    }

    /** Types a token into the login page and sends it; waits for the answer, whichever it is. */
    void logIn(String token) {
        logInAt(cluster.origin(), token);
    }

    /**
     * Logs in at another origin of the scheduler, such as a {@link LoopbackRelay}'s: the scheduler
     * counts rejected tokens by address, so a test that types wrong ones does it there.
     */
    void logInAt(String origin, String token) {
        browser.openUrl(origin + LOGIN);
        browser.find(By.id("token")).sendKeys(token);
        browser.find(By.cssSelector("form.login button[type=submit]")).click();
        browser.await(page -> !browser.path().equals(LOGIN) || browser.url().contains("error"));
    }

    Browser browser() {
        return browser;
    }

    ConsoleCluster cluster() {
        return cluster;
    }
}
