package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The HTTP API's OpenAPI 3 description and Swagger UI: public, complete (every call of PROTOCOL.md
 * section 6, nothing else), with the token every call needs and the problem+json errors.
 */
@SchedulerTest
class ApiDocumentationTest {

    private static final String PROBLEM = "application/problem+json";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDescriptionIsPublicAndHoldsEveryCallOfTheApiAndNothingElse() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).as("without a token").isEqualTo(200);
        JsonNode api = Json.mapper().readTree(response.body());
        assertThat(api.path("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        api.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrder("/api/v1/tasks", "/api/v1/tasks/batch", "/api/v1/tasks/{taskId}",
                "/api/v1/tasks/{taskId}/abort", "/api/v1/workers", "/api/v1/workers/{workerId}/drain",
                "/api/v1/workers/{workerId}/resume", "/api/v1/schedules", "/api/v1/schedules/{scheduleId}",
                "/api/v1/schedules/{scheduleId}/pause", "/api/v1/schedules/{scheduleId}/resume",
                "/api/v1/schedules/{scheduleId}/trigger");
        assertThat(api.path("paths").path("/api/v1/schedules/{scheduleId}").fieldNames())
                .toIterable().containsExactlyInAnyOrder("get", "put", "delete");
        assertThat(api.at("/paths/~1api~1v1~1tasks/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/TaskSpec");
        assertThat(api.at("/components/schemas/ScheduleSpec/properties").has("cron")).isTrue();
        assertThat(api.at("/paths/~1api~1v1~1tasks/post/responses").fieldNames()).toIterable()
                .as("202 accepted, 200 final with waitMs").contains("200", "202");
        assertThat(api.at("/paths/~1api~1v1~1tasks~1batch/post/responses").has("202")).isTrue();
        assertThat(api.at("/paths/~1api~1v1~1schedules~1{scheduleId}/put/requestBody/content/application~1json/schema/$ref")
                .asText()).as("the body is read as a tree but is a ScheduleSpec").isEqualTo("#/components/schemas/ScheduleSpec");
    }

    @Test
    void everyCallNeedsTheClientTokenAndAnswersErrorsAsProblemJson() throws Exception {
        JsonNode api = Json.mapper().readTree(get("/v3/api-docs").body());

        assertThat(api.at("/components/securitySchemes/" + ApiDocumentation.CLIENT_TOKEN + "/scheme").asText())
                .isEqualTo("bearer");
        assertThat(api.path("security").get(0).has(ApiDocumentation.CLIENT_TOKEN)).isTrue();
        assertThat(api.at("/components/schemas/Problem/properties/code/enum")).extracting(JsonNode::asText)
                .contains("INVALID_REQUEST", "UNAVAILABLE", "UNKNOWN_TASK_TYPE");
        api.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(call -> {
            JsonNode responses = call.getValue().path("responses");
            String named = call.getKey() + " " + path.getKey();
            for (String status : List.of("400", "401", "403", "429", "500", "503")) {
                assertThat(responses.at("/" + status + "/content/" + PROBLEM.replace("/", "~1") + "/schema/$ref").asText())
                        .as("%s answers %s as problem+json", named, status).isEqualTo("#/components/schemas/Problem");
            }
            assertThat(responses.has("404")).as("%s names a resource", named).isEqualTo(path.getKey().contains("{"));
            assertThat(responses.has("413")).as("%s takes a body", named)
                    .isEqualTo(call.getValue().has("requestBody"));
            assertThat(responses.has("422")).as("%s creates tasks", named).isEqualTo(named.equals("post /api/v1/tasks")
                    || named.equals("post /api/v1/tasks/batch") || named.equals("put /api/v1/schedules/{scheduleId}"));
        }));
    }

    @Test
    void swaggerUiIsServedWithoutATokenAndTheCallsItDescribesStillNeedOne() throws Exception {
        HttpResponse<String> page = get("/swagger-ui/index.html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(get("/swagger-ui.html").statusCode()).as("redirected to the page").isEqualTo(302);
        assertThat(get("/api/v1/workers").statusCode()).isEqualTo(401);
        assertThat(get("/v3/api-docs.yaml").statusCode()).isEqualTo(200);
        JsonNode config = Json.mapper().readTree(get("/v3/api-docs/swagger-config").body());
        assertThat(config.path("validatorUrl").asText()).as("no outside validator").isEqualTo("none");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
