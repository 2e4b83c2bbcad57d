package io.taskwire.worker.connection;

import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.messaging.rsocket.RSocketRequester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the worker answers a scheduler that sends it nonsense: a protocol error, never a dropped connection. */
@WorkerTest({
        "taskwire.worker.id=w-bad",
        "taskwire.worker.slots=2",
        "taskwire.transport.max-payload-size=16KB"})
class BadInputTest {

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(2)).start(0);

    @Test
    void unknownRouteIsNotFound() {
        ProtocolException error = errorOf(scheduler.worker().route("task.reverse").data("{}"));

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(error.detail()).contains("task.reverse");
    }

    @Test
    void malformedAssignmentIsInvalidRequestNamingTheProblem() {
        ProtocolException error = errorOf(scheduler.worker().route(Routes.TASK_EXECUTE).data("{\"taskId\": \"t-1\","));

        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(error.detail()).contains(Routes.TASK_EXECUTE).containsIgnoringCase("malformed JSON");
    }

    @Test
    void assignmentWithoutDeadlineIsInvalidRequestNamingTheField() {
        String noDeadline = "{\"taskId\":\"t-2\",\"attempt\":1,\"type\":\"echo\",\"payload\":{},\"fence\":\"7:1\"}";

        ProtocolException error = errorOf(scheduler.worker().route(Routes.TASK_EXECUTE).data(noDeadline));

        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(error.detail()).contains("deadline");
    }

    @Test
    void aNullAssignmentIsInvalidRequest() {
        ProtocolException error = errorOf(scheduler.worker().route(Routes.TASK_EXECUTE).data("null"));

        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(error.detail()).contains("task.execute").contains("JSON null");
        assertEchoWorksOnTheSameConnection();
    }

    @Test
    void dataOverTheLimitIsPayloadTooLargeAndTheConnectionStaysUsable() {
        String big = "x".repeat(20 * 1024);

        ProtocolException error = errorOf(scheduler.worker().route(Routes.TASK_EXECUTE)
                .data(Tasks.echo("{\"blob\":\"" + big + "\"}")));

        assertThat(error.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertEchoWorksOnTheSameConnection();
    }

    @Test
    void garbageFireAndForgetDoesNotCloseTheConnection() {
        RSocketRequester worker = scheduler.worker();
        int setupsBefore = scheduler.setups().size();

        worker.route(Routes.TASK_CANCEL).data("{garbage").send().block(Duration.ofSeconds(5));
        worker.route(Routes.WORKER_CONFIG).data("{\"heartbeatIntervalMs\":\"soon\",\"slots\":-1}").send()
                .block(Duration.ofSeconds(5));
        worker.route("worker.nonsense").data("[]").send().block(Duration.ofSeconds(5));
        worker.route(Routes.TASK_CANCEL).data("x".repeat(20 * 1024)).send().block(Duration.ofSeconds(5));

        assertEchoWorksOnTheSameConnection();
        assertThat(scheduler.worker()).isSameAs(worker);
        assertThat(scheduler.setups()).as("no new SETUP: the worker did not reconnect").hasSize(setupsBefore);
    }

    private static void assertEchoWorksOnTheSameConnection() {
        TaskResult result = scheduler.execute(Tasks.echo("{\"after\":\"error\"}")).block(Duration.ofSeconds(5));
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.output()).isEqualTo(Tasks.json("{\"after\":\"error\"}"));
    }

    private static ProtocolException errorOf(RSocketRequester.RetrieveSpec request) {
        ApplicationErrorException error = catchThrowableOfType(ApplicationErrorException.class,
                () -> request.retrieveMono(String.class).block(Duration.ofSeconds(5)));
        assertThat(error).as("an APPLICATION_ERROR from the worker").isNotNull();
        return ProtocolException.fromWire(error.getMessage());
    }
}
