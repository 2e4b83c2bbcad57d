package io.taskwire.scheduler.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.support.TestTokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The console over real HTTP, as a browser uses it: log in with a token into a session cookie,
 * see the workers, drain and resume one with the session's CSRF token; a viewer sees and cannot act;
 * a worker token, a wrong token and a form without its CSRF token are refused; a page's htmx
 * reload without a session is told to open the login page.
 */
@SchedulerTest
class ConsoleTest extends WithFakeWorkersAndClient {

    @LocalServerPort
    int httpPort;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    ApplicationContext context;

    @Test
    void aClientLogsInSeesTheWorkersAndDrainsAndResumesOne() throws Exception {
        workers.echo("console-w1", "console-echo");
        ConsoleBrowser browser = new ConsoleBrowser(httpPort);

        HttpResponse<String> before = browser.get("/console");
        assertThat(before.statusCode()).isEqualTo(302);
        assertThat(before.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/console/login"));

        HttpResponse<String> loginPage = browser.get("/console/login");
        assertThat(loginPage.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("default-src 'self'", "frame-ancestors 'none'"));
        HttpResponse<String> loggedIn = browser.logIn(TestTokens.CLIENT);
        assertThat(loggedIn.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/console"));
        assertThat(loggedIn.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(session(loggedIn)).as("a new session id at login").isNotEqualTo(session(loginPage));

        HttpResponse<String> page = browser.get("/console/workers");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console-w1").contains("ONLINE").contains("Drain")
                .contains("/webjars/htmx.org/dist/htmx.min.js").doesNotContain(TestTokens.CLIENT);
        assertThat(browser.get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);

        HttpResponse<String> noToken = browser.post("/console/workers/console-w1/drain", null);
        assertThat(noToken.statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(noToken.body()).contains("did not carry its page's token");
        assertThat(registry.find("console-w1").orElseThrow().status()).isEqualTo(WorkerStatus.ONLINE);
        HttpResponse<String> drained = browser.post("/console/workers/console-w1/drain", browser.csrf(page.body()));
        assertThat(drained.statusCode()).isEqualTo(302);
        assertThat(registry.find("console-w1").orElseThrow().status()).isEqualTo(WorkerStatus.DRAINING);
        HttpResponse<String> after = browser.get("/console/workers");
        assertThat(after.body()).contains("Draining console-w1").contains("Resume");

        browser.post("/console/workers/console-w1/resume", browser.csrf(after.body()));
        assertThat(registry.find("console-w1").orElseThrow().status()).isEqualTo(WorkerStatus.ONLINE);
        assertThat(browser.get("/console/workers/table").body()).as("the fragment the page reloads")
                .startsWith("<table").contains("console-w1");

        browser.post("/console/logout", browser.csrf(browser.get("/console/workers").body()));
        assertThat(browser.get("/console/workers").statusCode()).as("logged out").isEqualTo(302);
    }

    @Test
    void aViewerSeesTheWorkersAndCanChangeNothing() throws Exception {
        workers.echo("console-w2", "console-echo");
        ConsoleBrowser browser = new ConsoleBrowser(httpPort);
        assertThat(browser.logIn(TestTokens.VIEWER).headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/console"));

        HttpResponse<String> page = browser.get("/console/workers");
        assertThat(page.body()).contains("console-w2").doesNotContain(">Drain<");
        HttpResponse<String> refused = browser.post("/console/workers/console-w2/drain", browser.csrf(page.body()));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(refused.body()).as("a page that says why").contains("A viewer login only looks");
        assertThat(registry.find("console-w2").orElseThrow().status()).isEqualTo(WorkerStatus.ONLINE);
    }

    @Test
    void wrongAndWorkerTokensAndALoginWithoutCsrfAreRefused() throws Exception {
        for (String token : new String[] {"not-a-token-this-scheduler-knows", TestTokens.WORKER, ""}) {
            ConsoleBrowser browser = new ConsoleBrowser(httpPort);
            HttpResponse<String> refused = browser.logIn(token);
            assertThat(refused.headers().firstValue("Location")).as(token)
                    .hasValueSatisfying(to -> assertThat(to).endsWith("/console/login?error"));
            assertThat(browser.get("/console/workers").statusCode()).as(token).isEqualTo(302);
        }
        ConsoleBrowser noCsrf = new ConsoleBrowser(httpPort);
        noCsrf.get("/console/login");
        assertThat(noCsrf.post("/console/login", null, Map.of("user", "console", "token", TestTokens.CLIENT)).statusCode())
                .isEqualTo(403);
        assertThat(noCsrf.get("/console/workers").statusCode()).isEqualTo(302);
    }

    @Test
    void aTableReloadWithoutASessionTellsHtmxToOpenTheLoginPage() throws Exception {
        HttpResponse<String> reload = new ConsoleBrowser(httpPort).htmxGet("/console/workers/table");

        assertThat(reload.statusCode()).isEqualTo(401);
        assertThat(reload.headers().firstValue("HX-Redirect")).hasValue("/console/login");
        assertThat(reload.body()).as("no login form to swap into the page").doesNotContain("<form");
    }

    @Test
    void theWorkersPageIsToldToFetchItsTableAtEachSample() throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.loggedIn(httpPort, TestTokens.VIEWER);
        try (EventStream stream = new EventStream()) {
            browser.open("/console/workers/stream", stream);

            await().atMost(WITHIN).until(() -> stream.data("workers").size() >= 2);
            assertThat(stream.response().headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        }
    }

    @Test
    void pagesWriteTheirLinksWithoutLookingEachUpAsAStaticResource() {
        // Boot's ResourceUrlEncodingFilter would make a class-path lookup per link (BENCHMARKS.md, comparison 8)
        assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
                .filteredOn(registration -> registration.getFilter() instanceof ResourceUrlEncodingFilter)
                .singleElement().satisfies(registration -> assertThat(registration.isEnabled()).isFalse());
    }

    private static String session(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(cookie -> cookie.startsWith("JSESSIONID="))
                .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).findFirst().orElse("none");
    }
}
