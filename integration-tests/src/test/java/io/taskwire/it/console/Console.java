package io.taskwire.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.opentest4j.TestAbortedException;

/**
 * The console in a browser, for a test class of the console's pages: register it as
 * {@code @RegisterExtension static final Console console = new Console();}. Before the first
 * console test class of the run it finds Chromium (where it is missing, every test is skipped, or
 * fails when {@code TASKWIRE_BROWSER_TESTS=required}), starts one {@link ConsoleCluster} (a
 * scheduler and two worker JVMs) and one {@link Browser}, which every console test class of the JVM
 * then shares; JUnit closes them after the last test of the run, so that the cluster's 20 s start
 * is paid once. Shared, the tests must not depend on each other: each uses tasks and schedules of
 * its own. Before each test it forgets every cookie and resumes any drained worker, so each test
 * starts logged out with both workers ONLINE; after a failed test it keeps a screenshot named after
 * the test.
 */
final class Console implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

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
    private ConsoleApi api;
    private String skipped;

    @Override
    public void beforeAll(ExtensionContext context) {
        Chromium chromium;
        try {
            chromium = Chromium.installed();
        } catch (TestAbortedException missing) {
            // skipped test by test, so that each shows as skipped with the reason (a skipped class shows nothing)
            skipped = missing.getMessage();
            System.err.println(context.getRequiredTestClass().getSimpleName() + " skipped: " + skipped);
            return;
        }
        Shared shared = context.getRoot().getStore(ExtensionContext.Namespace.create(Console.class))
                .getOrComputeIfAbsent(Shared.class, key -> Shared.start(chromium), Shared.class);
        cluster = shared.cluster;
        browser = shared.browser;
        api = new ConsoleApi(cluster.origin());
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

    /** The cluster and browser of the run, closed by JUnit with the root context, after the last test. */
    private record Shared(ConsoleCluster cluster, Browser browser) implements ExtensionContext.Store.CloseableResource {

        static Shared start(Chromium chromium) {
            ConsoleCluster cluster;
            try {
                cluster = ConsoleCluster.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Browser browser = null;
            try {
                // Chromium starts while the worker JVMs do
                browser = Browser.start(chromium, cluster.origin());
                cluster.awaitWorkers();
                return new Shared(cluster, browser);
            } catch (IOException | RuntimeException failed) {
                try {
                    if (browser != null) {
                        browser.close();
                    }
                } finally {
                    cluster.close();
                }
                throw failed instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) failed;
            }
        }

        @Override
        public void close() {
            try {
                browser.close();
            } finally {
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

    /** @return the scheduler's HTTP API with the client token, for what a test does outside the browser */
    ConsoleApi api() {
        return api;
    }

    ConsoleCluster cluster() {
        return cluster;
    }
}
