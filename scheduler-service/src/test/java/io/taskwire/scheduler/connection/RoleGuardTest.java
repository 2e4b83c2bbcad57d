package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.DrainRequest;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.Peers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.messaging.rsocket.RSocketRequester;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The route guard in front of every connection, seen from real peers over TCP. */
@RunningScheduler
class RoleGuardTest {

    @LocalRSocketServerPort
    int port;

    RSocketRequester client;
    FakeWorker worker;

    @BeforeEach
    void connect(TestInfo test) throws InterruptedException {
        client = Peers.client(port, "guard-client");
        // an id per test: the previous test's worker may not have left the registry yet
        String workerId = "guard-" + test.getTestMethod().orElseThrow().getName();
        worker = FakeWorker.connect(port, FakeWorker.hello(workerId, 1, "echo"),
                assignment -> FakeWorker.echo(assignment, workerId));
        assertThat(worker.configs.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @AfterEach
    void disconnect() {
        client.dispose();
        worker.close();
    }

    @Test
    void clientCallingWorkerDrainIsForbidden() {
        Mono<String> call = client.route(Routes.WORKER_DRAIN).data(new DrainRequest(worker.id()))
                .retrieveMono(String.class);

        assertRefused(call, ErrorCode.FORBIDDEN, Routes.WORKER_DRAIN);
    }

    @Test
    void clientCallingTaskResultIsForbidden() {
        Mono<String> call = client.route(Routes.TASK_RESULT).data(Map.of("taskId", "t-1", "attempt", 1))
                .retrieveMono(String.class);

        assertRefused(call, ErrorCode.FORBIDDEN, Routes.TASK_RESULT);
    }

    @Test
    void workerCallingTaskSubmitIsForbidden() {
        Mono<String> call = worker.requester().route(Routes.TASK_SUBMIT)
                .data(TaskSpec.of("echo", Json.mapper().createObjectNode()))
                .retrieveMono(String.class);

        assertRefused(call, ErrorCode.FORBIDDEN, Routes.TASK_SUBMIT);
    }

    @Test
    void undefinedRouteIsNotFoundOnClientAndWorkerConnections() {
        assertRefused(client.route("no.such.route").data(Map.of("a", 1)).retrieveMono(String.class),
                ErrorCode.NOT_FOUND, "no.such.route");
        assertRefused(worker.requester().route("no.such.route").data(Map.of("a", 1)).retrieveMono(String.class),
                ErrorCode.NOT_FOUND, "no.such.route");
    }

    @Test
    void requestResponseOnFireAndForgetRouteIsInvalidRequest() {
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(worker.id(), 1, Instant.now(), 0, 1, 0.1, 1, 2);

        Mono<String> call = worker.requester().route(Routes.WORKER_HEARTBEAT).data(heartbeat)
                .retrieveMono(String.class);

        assertRefused(call, ErrorCode.INVALID_REQUEST, "fire-and-forget");
    }

    @Test
    void requestOverPayloadLimitIsRefusedAndConnectionServesTheNextRequest() {
        byte[] tooLarge = ("{\"taskId\":\"" + "x".repeat(RunningScheduler.MAX_PAYLOAD_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(client.route(Routes.TASK_GET).data(tooLarge).retrieveMono(String.class),
                ErrorCode.PAYLOAD_TOO_LARGE, String.valueOf(RunningScheduler.MAX_PAYLOAD_BYTES));
        assertRefused(client.route(Routes.TASK_GET).data(new TaskRef("guard-no-such-task"))
                .retrieveMono(String.class), ErrorCode.NOT_FOUND, "guard-no-such-task");
    }

    @Test
    void malformedJsonOnTaskGetIsInvalidRequest() {
        byte[] malformed = "{\"taskId\":".getBytes(StandardCharsets.UTF_8);

        assertRefused(client.route(Routes.TASK_GET).data(malformed).retrieveMono(String.class),
                ErrorCode.INVALID_REQUEST, "JSON");
    }

    private static void assertRefused(Mono<?> call, ErrorCode code, String detailPart) {
        StepVerifier.create(call)
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(ApplicationErrorException.class);
                    ProtocolException error = ProtocolException.fromWire(failure.getMessage());
                    assertThat(error.code()).isEqualTo(code);
                    assertThat(error.detail()).contains(detailPart);
                })
                .verify(Duration.ofSeconds(5));
    }
}
