package io.taskwire.scheduler.console.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.console.ConsoleBrowser;
import io.taskwire.scheduler.console.EventStream;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.TestTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The overview over real HTTP, as a browser uses it: the page for a client's and a viewer's session
 * and for nobody else, and its stream, which sends the history at once and then a sample every
 * period (2 s here) that counts the tasks submitted through the HTTP API.
 */
@SchedulerTest
class OverviewTest extends WithFakeWorkersAndClient {

    private static final List<String> ELEMENTS = List.of("id=\"rates-chart\"", "id=\"queue-depth\"", "id=\"in-flight\"",
            "id=\"p50\"", "id=\"p99\"", "id=\"workers-online\"", "id=\"workers-busy\"", "id=\"leader\"");
    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    int httpPort;

    @Autowired
    TestRestTemplate api;

    @Test
    void theOverviewIsTheConsolesFirstPageForClientsAndViewersAndNobodyElse() throws Exception {
        ConsoleBrowser nobody = new ConsoleBrowser(httpPort);
        for (String path : List.of("/console/overview", "/console/overview/stream", "/console/assets/overview.js")) {
            HttpResponse<String> refused = nobody.get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(302);
            assertThat(refused.headers().firstValue("Location")).as(path)
                    .hasValueSatisfying(to -> assertThat(to).endsWith("/console/login"));
        }

        for (String token : List.of(TestTokens.CLIENT, TestTokens.VIEWER)) {
            ConsoleBrowser browser = new ConsoleBrowser(httpPort);
            assertThat(browser.logIn(token).headers().firstValue("Location")).as(token)
                    .hasValueSatisfying(to -> assertThat(to).endsWith("/console"));
            for (String path : List.of("/console", "/console/", "/console/overview")) {
                HttpResponse<String> page = browser.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(200);
                assertThat(page.body()).as(path).contains(ELEMENTS).contains("Tasks per second, last 15 minutes")
                        .contains("/webjars/uplot/dist/uPlot.iife.min.js", "/console/assets/overview.js")
                        .doesNotContain(token).doesNotContain("<script>");
            }
            for (String asset : List.of("/console/assets/overview.js", "/console/assets/live.js",
                    "/webjars/uplot/dist/uPlot.iife.min.js", "/webjars/uplot/dist/uPlot.min.css")) {
                assertThat(browser.get(asset).statusCode()).as(asset).isEqualTo(200);
            }
            assertThat(browser.get("/console/assets/overview.js").headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        }
    }

    @Test
    void theStreamSendsTheHistoryThenSamplesCountingTheSubmittedTasks() throws Exception {
        workers.echo("overview-w1", "overview-echo");
        ConsoleBrowser browser = new ConsoleBrowser(httpPort);
        browser.logIn(TestTokens.VIEWER);

        try (EventStream stream = new EventStream()) {
            browser.open("/console/overview/stream", stream);
            await().atMost(WAIT).until(() -> !stream.events().isEmpty());
            assertThat(stream.response().statusCode()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE));
            EventStream.Event first = stream.events().get(0);
            assertThat(first.name()).isEqualTo("snapshot");
            assertThat(first.data().get("capacity").asInt()).isEqualTo(450);
            assertThat(first.data().get("periodMs").asLong()).isEqualTo(2000);
            assertThat(first.data().get("at").size()).isLessThanOrEqualTo(450);

            for (int n = 0; n < 5; n++) {
                assertThat(submit("overview-echo", n)).isEqualTo(HttpStatus.ACCEPTED);
            }

            await().atMost(WAIT).untilAsserted(() -> {
                List<JsonNode> samples = stream.data("update");
                assertThat(total(samples, "submitted")).as("tasks submitted since the stream opened").isGreaterThanOrEqualTo(5);
                assertThat(total(samples, "completed")).as("tasks succeeded since the stream opened").isGreaterThanOrEqualTo(5);
                JsonNode latest = samples.get(samples.size() - 1);
                assertThat(latest.path("workersOnline").asLong()).isGreaterThanOrEqualTo(1);
                assertThat(latest.path("p50Ms").asDouble()).as("p50, absent while no task finished").isPositive();
                assertThat(latest.path("p99Ms").asDouble()).isGreaterThanOrEqualTo(latest.path("p50Ms").asDouble());
                assertThat(latest.path("role").asText()).isEqualTo("LEADER");
                assertThat(latest.path("leader").path("epoch").asLong()).isPositive();
            });
            List<Long> sent = stream.data("update").stream().map(sample -> sample.get("at").asLong()).toList();

            try (EventStream fresh = new EventStream()) {
                browser.open("/console/overview/stream", fresh);
                await().atMost(WAIT).until(() -> !fresh.events().isEmpty());
                JsonNode history = fresh.events().get(0).data();
                assertThat(StreamSupport.stream(history.get("at").spliterator(), false).map(JsonNode::asLong))
                        .as("a page opened later draws the samples at once").containsAll(sent);
            }
        }
    }

    private HttpStatus submit(String type, int n) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        String spec = "{\"type\":\"" + type + "\",\"payload\":{\"n\":" + n + "}}";
        return HttpStatus.valueOf(api.postForEntity("/api/v1/tasks", new HttpEntity<>(spec, headers), String.class)
                .getStatusCode().value());
    }

    /** @return the tasks the samples' rates add up to: a rate is per second over one 2 s period */
    private static double total(List<JsonNode> samples, String rate) {
        return samples.stream().mapToDouble(sample -> sample.path("rates").path(rate).asDouble() * 2).sum();
    }
}
