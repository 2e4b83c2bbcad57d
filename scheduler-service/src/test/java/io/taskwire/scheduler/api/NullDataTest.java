package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.test.StepVerifier;

/** JSON {@code null}, or JSON of the wrong type, as request data: INVALID_REQUEST, and a quiet log. */
@SchedulerTest
@ExtendWith(OutputCaptureExtension.class)
class NullDataTest extends WithFakeWorkersAndClient {

    private static final List<String> ROUTES = List.of(Routes.TASK_SUBMIT, Routes.TASK_SUBMIT_AWAIT,
            Routes.TASK_SUBMIT_BATCH, Routes.TASK_GET, Routes.TASK_ABORT);

    @Test
    void nullOrTheWrongJsonTypeOnEveryClientRouteIsInvalidRequest() {
        for (String route : ROUTES) {
            for (String data : List.of("null", "\"a string\"", "42", "true")) {
                StepVerifier.create(client.requester().route(route).data(data.getBytes(StandardCharsets.UTF_8))
                                .retrieveMono(String.class))
                        .expectErrorSatisfies(error -> {
                            ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                            assertThat(protocol.code()).as("%s with %s: %s", route, data, protocol.detail())
                                    .isEqualTo(ErrorCode.INVALID_REQUEST);
                            assertThat(protocol.detail()).as(route).contains(route);
                        })
                        .verify(WITHIN);
            }
        }
    }

    @Test
    void aThousandNullRequestsLogNoStackTraceAndTheConnectionStillServes(CapturedOutput output) {
        int before = output.getAll().length();
        for (int n = 0; n < 500; n++) {
            client.requester().route(Routes.TASK_SUBMIT_ONEWAY).data("null".getBytes(StandardCharsets.UTF_8))
                    .send().block(WITHIN);
            StepVerifier.create(client.requester().route(Routes.TASK_SUBMIT).data("null".getBytes(StandardCharsets.UTF_8))
                            .retrieveMono(TaskView.class))
                    .expectError()
                    .verify(WITHIN);
        }
        workers.echo("null-after-a", "null-after-echo");
        assertThat(client.submit(Specs.spec("null-after-echo", 1)).taskId()).isNotBlank();

        String logged = output.getAll().substring(before);
        assertThat(logged).doesNotContain("\tat ").doesNotContain(" ERROR ");
        assertThat(logged.lines().filter(line -> line.contains(" WARN ")).count())
                .as("one WARN per kind, not one per request:%n%s", logged).isLessThanOrEqualTo(2);
    }
}
