package io.taskwire.it.console;

import static io.taskwire.it.console.ConsoleCluster.FIRST;
import static io.taskwire.it.console.ConsoleCluster.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.Tokens;
import io.taskwire.it.console.Console.Role;
import io.taskwire.scheduler.registry.WorkerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.springframework.web.client.RestTemplate;

/**
 * The console in headless Chromium against a scheduler and two worker JVMs: logging in with each
 * role's token, the workers page and its self-refreshing table, drain and resume, and what the
 * console refuses (a viewer's change, a form without its CSRF token, a wrong token, an ended session).
 */
class ConsoleBrowserTest {

    @RegisterExtension
    static final Console console = new Console();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Browser browser = console.browser();

    @Test
    void aClientLogsInAndSeesBothWorkers() {
        console.logInAs(Role.CLIENT);
        browser.open("/console/workers");

        for (String worker : new String[] {FIRST, SECOND}) {
            browser.awaitVisible(row(worker));
            browser.awaitText(status(worker), "ONLINE");
            assertThat(browser.shows(button(worker, "Drain"))).as("a Drain button for %s", worker).isTrue();
        }
        assertThat(browser.cookie("JSESSIONID")).hasValueSatisfying(cookie -> assertThat(cookie.isHttpOnly()).isTrue());
        assertThat(browser.source()).doesNotContain(Tokens.CLIENT);
        browser.screenshot("workers-client");
    }

    @Test
    void aClientDrainsAWorkerFromThePageAndResumesIt() {
        console.logInAs(Role.CLIENT);
        browser.open("/console/workers");

        browser.click(button(FIRST, "Drain"));
        browser.awaitText(status(FIRST), "DRAINING");
        assertThat(browser.text()).contains("Draining " + FIRST);
        assertThat(console.cluster().status(FIRST)).isEqualTo(WorkerStatus.DRAINING);
        browser.awaitText(status(SECOND), "ONLINE");
        browser.screenshot("workers-draining");

        browser.click(button(FIRST, "Resume"));
        browser.awaitText(status(FIRST), "ONLINE");
        assertThat(console.cluster().status(FIRST)).isEqualTo(WorkerStatus.ONLINE);
        assertThat(browser.shows(button(FIRST, "Drain"))).isTrue();
    }

    @Test
    void theTableShowsADrainFromElsewhereWithoutAReload() {
        console.logInAs(Role.CLIENT);
        browser.open("/console/workers");
        browser.awaitText(status(SECOND), "ONLINE");
        String page = browser.markDocument();

        RestTemplate api = Tokens.http();
        api.postForEntity(console.cluster().origin() + "/api/v1/workers/" + SECOND + "/drain", null, String.class);
        browser.awaitText(status(SECOND), "DRAINING");
        assertThat(browser.shows(button(SECOND, "Resume"))).isTrue();
        assertThat(browser.stillShows(page)).as("the same page, its table reloaded by itself").isTrue();

        api.postForEntity(console.cluster().origin() + "/api/v1/workers/" + SECOND + "/resume", null, String.class);
        browser.awaitText(status(SECOND), "ONLINE");
        assertThat(browser.stillShows(page)).isTrue();
    }

    @Test
    void aViewerSeesTheWorkersButCannotDrainOne() {
        long failedBefore = console.cluster().failedAuthentications();
        console.logInAs(Role.VIEWER);
        browser.open("/console/workers");

        browser.awaitVisible(row(FIRST));
        browser.awaitVisible(row(SECOND));
        assertThat(browser.shows(By.cssSelector("#workers button"))).as("drain or resume buttons").isFalse();
        browser.screenshot("workers-viewer");

        String csrf = browser.csrfToken();
        assertThat(browser.post("/console/workers/" + FIRST + "/drain", Map.of("_csrf", csrf))).isEqualTo(403);
        assertThat(console.cluster().status(FIRST)).isEqualTo(WorkerStatus.ONLINE);
        // the same CSRF token is good: the drain was refused for the role, not for the token
        assertThat(browser.post("/console/logout", Map.of("_csrf", csrf))).as("a redirect").isZero();
        assertThat(console.cluster().failedAuthentications()).as("a refusal for the role is no rejected token")
                .isEqualTo(failedBefore);
    }

    @Test
    void aPostWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        long failedBefore = console.cluster().failedAuthentications();
        console.logInAs(Role.CLIENT);
        browser.open("/console/workers");
        browser.awaitVisible(button(FIRST, "Drain"));

        assertThat(browser.post("/console/workers/" + FIRST + "/drain", Map.of())).isEqualTo(403);
        browser.submitWithout("#worker-" + FIRST + " form", "_csrf");
        browser.await(page -> !browser.shows(row(FIRST)));
        assertThat(browser.text()).as("a page that says why").contains("did not carry its page's token");
        browser.screenshot("workers-drain-without-csrf");

        assertThat(console.cluster().status(FIRST)).isEqualTo(WorkerStatus.ONLINE);
        browser.open("/console/workers");
        browser.awaitText(status(FIRST), "ONLINE");
        assertThat(console.cluster().failedAuthentications()).isEqualTo(failedBefore);
    }

    @Test
    void aWrongTokenStaysOnTheLoginPageAndCountsOnceAsOnTheApi() throws Exception {
        ConsoleCluster cluster = console.cluster();
        long before = cluster.failedAuthentications();
        try (LoopbackRelay stranger = LoopbackRelay.from(2, cluster.httpPort())) {
            console.logInAt(stranger.origin(), "not-a-token-this-scheduler-knows");
            assertThat(browser.url()).endsWith("/console/login?error");
            assertThat(browser.awaitVisible(By.cssSelector("p.error")).getText()).contains("does not open the console");
            browser.screenshot("login-wrong-token");
            assertThat(cluster.failedAuthentications()).as("one rejected token").isEqualTo(before + 1);

            assertThat(apiStatus(stranger.origin(), "not-a-token-either-0123456789")).isEqualTo(401);
            assertThat(cluster.failedAuthentications()).as("the API counts one the same").isEqualTo(before + 2);
            console.logInAt(stranger.origin(), Tokens.WORKER);
            assertThat(browser.url()).endsWith("/console/login?error");
            assertThat(cluster.failedAuthentications()).isEqualTo(before + ConsoleCluster.MAX_FAILED_AUTHENTICATIONS);

            // that address used up its rejected tokens, on the console and the API alike: the right one is refused too
            console.logInAt(stranger.origin(), Tokens.CLIENT);
            assertThat(browser.url()).endsWith("/console/login?error");
            assertThat(apiStatus(stranger.origin(), Tokens.CLIENT)).isEqualTo(429);
            assertThat(cluster.failedAuthentications()).isEqualTo(before + ConsoleCluster.MAX_FAILED_AUTHENTICATIONS);
        }
        console.logInAs(Role.CLIENT);
        assertThat(cluster.failedAuthentications()).as("a good token counts nothing")
                .isEqualTo(before + ConsoleCluster.MAX_FAILED_AUTHENTICATIONS);
    }

    @Test
    void anEndedSessionLeadsBackToTheLoginPage() {
        console.logInAs(Role.CLIENT);
        Cookie ended = browser.cookie("JSESSIONID").orElseThrow();

        browser.click(By.cssSelector("header form button[type=submit]"));
        browser.awaitPath(Console.LOGIN);
        assertThat(browser.text()).contains("Logged out.");
        browser.open("/console/workers");
        browser.awaitPath(Console.LOGIN);

        browser.putCookie(ended);
        browser.open("/console/workers");
        browser.awaitPath(Console.LOGIN);
        browser.putCookie(new Cookie.Builder("JSESSIONID", "F00DF00DF00DF00DF00DF00DF00DF00D").path("/").build());
        browser.open("/console/workers");
        browser.awaitPath(Console.LOGIN);
        browser.screenshot("login-after-session-ended");
    }

    @Test
    void aPageOpenWhenItsSessionEndsGoesBackToTheLoginPage() {
        console.logInAs(Role.CLIENT);
        browser.open("/console/workers");
        browser.awaitVisible(row(FIRST));

        // the session ends while the page stays open: logged out from another tab
        assertThat(browser.post("/console/logout", Map.of("_csrf", browser.csrfToken()))).isZero();
        browser.awaitPath(Console.LOGIN);
        assertThat(browser.shows(row(FIRST))).isFalse();
    }

    /** @return the status of {@code GET /api/v1/workers} with the token as bearer, through that origin */
    private static int apiStatus(String origin, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/workers"))
                .header("Authorization", "Bearer " + token).timeout(Browser.WAIT).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static By row(String worker) {
        return By.id("worker-" + worker);
    }

    private static By status(String worker) {
        return By.cssSelector("#worker-" + worker + " .status");
    }

    private static By button(String worker, String label) {
        return By.xpath("//tr[@id='worker-" + worker + "']//button[normalize-space()='" + label + "']");
    }
}
