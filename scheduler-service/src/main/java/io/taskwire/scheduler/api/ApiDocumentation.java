package io.taskwire.scheduler.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.taskwire.messages.ErrorCode;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The HTTP API described by OpenAPI 3 (PROTOCOL.md section 6): springdoc reads the paths, parameters
 * and message shapes from the controllers and serves them at {@code /v3/api-docs}, with Swagger UI at
 * {@code /swagger-ui.html}. This adds what it cannot read from them: the client token every call
 * needs, and the problem+json errors the calls answer with, whose statuses come from
 * {@link ProblemResponses}. The description is public, as the README is; the calls it describes
 * need the token all the same.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    /** The name of the security scheme: a client token sent as {@code Authorization: Bearer}. */
    static final String CLIENT_TOKEN = "clientToken";
    /** The name of the problem+json schema. */
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI taskwireApi() {
        return new OpenAPI()
                .info(new Info().title("Taskwire scheduler").version("v1").description(
                        "Submit, read and abort tasks, see and drain workers, and manage schedules. Every call needs a"
                                + " client token as `Authorization: Bearer <token>`. Errors are `application/problem+json`"
                                + " with the protocol's error code in `code`; a standby answers every call with 503"
                                + " `UNAVAILABLE`, naming the leader in `leader` where it knows it."))
                .components(new Components()
                        .addSecuritySchemes(CLIENT_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("A client token (TASKWIRE_SECURITY_CLIENT_TOKENS)")))
                .addSecurityItem(new SecurityRequirement().addList(CLIENT_TOKEN));
    }

    /**
     * Adds to each call the errors it can answer with: those of any call (bad input, the token, the
     * rate of refused tokens, a standby), a missing resource where the path names one, a body too
     * large where the call takes one, and a task type no worker handles where it creates tasks.
     */
    @Bean
    OpenApiCustomizer problemJsonErrors() {
        return api -> {
            // here rather than on the bean above: springdoc replaces the schemas with those it reads
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                ApiResponses responses = operation.getResponses();
                for (ErrorCode code : List.of(ErrorCode.INVALID_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN,
                        ErrorCode.AT_CAPACITY, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL)) {
                    addProblem(responses, code);
                }
                if (path.contains("{")) {
                    addProblem(responses, ErrorCode.NOT_FOUND);
                }
                if (operation.getRequestBody() != null) {
                    addProblem(responses, ErrorCode.PAYLOAD_TOO_LARGE);
                    if (takes(operation, "TaskSpec") || takes(operation, "ScheduleSpec")) {
                        addProblem(responses, ErrorCode.UNKNOWN_TASK_TYPE);
                    }
                }
            }));
        };
    }

    /** @return whether the call's JSON body is the schema, or an array of it */
    private static boolean takes(Operation operation, String schema) {
        MediaType json = operation.getRequestBody().getContent() == null ? null
                : operation.getRequestBody().getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
        if (json == null || json.getSchema() == null) {
            return false;
        }
        String ref = "#/components/schemas/" + schema;
        Schema<?> body = json.getSchema();
        return ref.equals(body.get$ref()) || body.getItems() != null && ref.equals(body.getItems().get$ref());
    }

    /** Adds the code's status, or names the code among the others of the same status. */
    private static void addProblem(ApiResponses responses, ErrorCode code) {
        HttpStatus status = ProblemResponses.STATUS.get(code);
        String key = String.valueOf(status.value());
        ApiResponse existing = responses.get(key);
        if (existing != null && existing.getContent() != null && existing.getContent().get(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE) != null) {
            if (!existing.getDescription().contains(code.name())) {
                existing.setDescription(existing.getDescription() + ", " + code.name());
            }
            return;
        }
        responses.addApiResponse(key, new ApiResponse().description("problem+json: " + code.name())
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    /** RFC 9457's members, with the protocol's {@code code} and a standby's {@code leader}. */
    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An error (RFC 9457), its code one of PROTOCOL.md section 2's")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().description("the error code"))
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what was wrong, naming the field where one was"))
                .addProperty("instance", new StringSchema().description("the path called"))
                .addProperty("code", new StringSchema()._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()))
                .addProperty("leader", new StringSchema().description("on a standby's 503: the leader's advertised"
                        + " address, where known"))
                .required(List.of("title", "status", "code"));
    }
}
