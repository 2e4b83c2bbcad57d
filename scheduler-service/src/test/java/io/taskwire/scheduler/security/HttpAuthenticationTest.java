package io.taskwire.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.support.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The HTTP API and the actuator behind bearer tokens, called as any HTTP client would. */
@SchedulerTest
@AutoConfigureObservability // Spring Boot leaves the Prometheus endpoint out of tests otherwise
class HttpAuthenticationTest {

    @LocalServerPort
    int port;

    @Value("${local.management.port}")
    int managementPort;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiWithoutTokenIsUnauthorizedAsProblemJson() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/workers", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(problem.path("detail").asText()).contains("Authorization: Bearer");
    }

    @Test
    void apiWithWrongTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/workers", "not-a-token-this-scheduler-knows");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(response.body()).path("detail").asText())
                .contains("not one this scheduler accepts");
    }

    @Test
    void apiWithWorkerTokenIsForbidden() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/workers", TestTokens.WORKER);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(response.body()).path("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void aViewerTokenReadsTheApiAndChangesNothing() throws Exception {
        for (String read : List.of("/api/v1/workers", "/api/v1/tasks?limit=1", "/api/v1/schedules")) {
            assertThat(get(port, read, TestTokens.VIEWER).statusCode()).as(read).isEqualTo(200);
        }
        for (String[] write : List.of(new String[] {"POST", "/api/v1/tasks"}, new String[] {"POST", "/api/v1/tasks/batch"},
                new String[] {"PUT", "/api/v1/schedules/viewer-made"}, new String[] {"DELETE", "/api/v1/schedules/x"},
                new String[] {"POST", "/api/v1/workers/w/drain"}, new String[] {"POST", "/api/v1/tasks/t/abort"})) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + write[1]))
                    .header("Authorization", "Bearer " + TestTokens.VIEWER).header("Content-Type", "application/json")
                    .method(write[0], HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\",\"payload\":{}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("%s %s", write[0], write[1]).isEqualTo(403);
            JsonNode problem = Json.mapper().readTree(refused.body());
            assertThat(problem.path("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(problem.path("detail").asText()).contains("a viewer token only reads");
        }
        assertThat(get(managementPort, "/actuator/metrics", TestTokens.VIEWER).statusCode())
                .as("the actuator's endpoints are the client's").isEqualTo(403);
        assertThat(get(port, "/api/v1/schedules/viewer-made", TestTokens.CLIENT).statusCode())
                .as("nothing was stored").isEqualTo(404);
    }

    @Test
    void apiWithClientTokenAnswers() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/workers", TestTokens.CLIENT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie")).as("stateless: no session").isEmpty();
    }

    @Test
    void probesInfoAndPrometheusAreOpenOtherActuatorEndpointsAreNot() throws Exception {
        assertThat(get(managementPort, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/info", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/prometheus", null).statusCode()).isEqualTo(200);

        for (String closed : new String[] {"/actuator/metrics", "/actuator/workers", "/actuator/circuitbreakers",
                "/actuator/retries"}) {
            assertThat(get(managementPort, closed, null).statusCode()).as(closed).isEqualTo(401);
            assertThat(get(managementPort, closed, TestTokens.WORKER).statusCode()).as(closed).isEqualTo(403);
            assertThat(get(managementPort, closed, TestTokens.CLIENT).statusCode()).as(closed).isEqualTo(200);
        }
    }

    @Test
    void anEndpointThatIsNotExposedIsNotFoundWhateverTheToken() throws Exception {
        for (String hidden : new String[] {"/actuator/env", "/actuator/heapdump", "/actuator/threaddump",
                "/actuator/shutdown", "/actuator/nosuch"}) {
            for (String token : new String[] {null, TestTokens.WORKER, TestTokens.CLIENT}) {
                assertThat(get(managementPort, hidden, token).statusCode()).as("%s with %s", hidden, token)
                        .isEqualTo(404);
            }
        }
    }

    @Test
    void anUnknownPathOutsideTheActuatorNeedsAClientTokenAndIsThenNotFound() throws Exception {
        assertThat(get(port, "/nosuch", null).statusCode()).isEqualTo(401);
        HttpResponse<String> worker = get(port, "/nosuch", TestTokens.WORKER);
        assertThat(worker.statusCode()).isEqualTo(403);
        assertThat(worker.body()).contains("a worker token does not grant it");
        assertThat(get(port, "/nosuch", TestTokens.CLIENT).statusCode()).isEqualTo(404);
    }

    @Test
    void healthDetailsNeedAToken() throws Exception {
        JsonNode anonymous = Json.mapper().readTree(get(managementPort, "/actuator/health", null).body());
        JsonNode authorized = Json.mapper().readTree(get(managementPort, "/actuator/health", TestTokens.CLIENT).body());

        assertThat(anonymous.has("components")).as("details for anyone").isFalse();
        assertThat(authorized.path("components").has("workers")).isTrue();
    }

    private HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
