package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.FakeWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@SchedulerTest
class SubmitRoutesTest extends WithFakeWorkersAndClient {

    @Test
    void submitAnswersAtOnceWithTheAcceptedTask() {
        workers.silent("submit-a", "submit-echo");

        TaskView view = client.requester().route(Routes.TASK_SUBMIT).data(Specs.spec("submit-echo", 1))
                .retrieveMono(TaskView.class).block(WITHIN);

        assertThat(view.taskId()).isNotBlank();
        assertThat(view.type()).isEqualTo("submit-echo");
        assertThat(view.status()).isIn(TaskStatus.PENDING, TaskStatus.DISPATCHED);
        assertThat(view.createdAt()).isNotNull();
        assertThat(view.finishedAt()).isNull();
    }

    @Test
    void submitAwaitAnswersWithTheFinalView() {
        workers.echo("await-a", "await-echo");

        TaskView view = client.requester().route(Routes.TASK_SUBMIT_AWAIT).data(Specs.spec("await-echo", 8))
                .retrieveMono(TaskView.class).block(WITHIN);

        assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(view.output()).isEqualTo(Specs.payload(8));
        assertThat(view.workerId()).isEqualTo("await-a");
    }

    @Test
    void submitAwaitThatRunsOutOfAwaitMsFailsWithTimeoutNamingTheTask() {
        FakeWorker worker = workers.silent("await-slow-a", "await-slow-echo");
        TaskSpec spec = new TaskSpec("await-slow-echo", Specs.payload(1), null, null, null, null, 200L, null);

        Mono<TaskView> answer = client.requester().route(Routes.TASK_SUBMIT_AWAIT).data(spec)
                .retrieveMono(TaskView.class);

        StepVerifier.create(answer)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApplicationErrorException.class);
                    ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                    assertThat(protocol.code()).isEqualTo(ErrorCode.TIMEOUT);
                    TaskAssignment assignment = FakeWorkers.poll(worker.assignments, WITHIN);
                    assertThat(assignment).isNotNull();
                    assertThat(protocol.detail()).contains(assignment.taskId());
                })
                .verify(Duration.ofSeconds(3));
    }

    @Test
    void oneWaySubmissionRunsTheTask() {
        FakeWorker worker = workers.echo("oneway-a", "oneway-echo");

        client.requester().route(Routes.TASK_SUBMIT_ONEWAY).data(Specs.spec("oneway-echo", 4)).send().block(WITHIN);

        TaskAssignment assignment = FakeWorkers.poll(worker.assignments, WITHIN);
        assertThat(assignment).as("the one-way task reached the worker").isNotNull();
        String id = assignment.taskId();
        StepVerifier.create(client.requester().route(Routes.TASK_WATCH).data(new WatchFilter(id, null))
                        .retrieveFlux(TaskEvent.class).filter(event -> event.status().isFinal()))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED))
                .expectComplete()
                .verify(WITHIN);
        TaskView view = client.get(id);
        assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(view.output()).isEqualTo(Specs.payload(4));
    }

    @Test
    void submitOfATypeNoWorkerAdvertisedIsRefused() {
        StepVerifier.create(client.requester().route(Routes.TASK_SUBMIT).data(Specs.spec("submit-unknown", 1))
                        .retrieveMono(TaskView.class))
                .expectErrorSatisfies(error -> {
                    ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                    assertThat(protocol.code()).isEqualTo(ErrorCode.UNKNOWN_TASK_TYPE);
                    assertThat(protocol.detail()).contains("submit-unknown");
                })
                .verify(WITHIN);
    }

    @Test
    void submitWithoutATypeIsInvalidRequestNamingTheField() {
        byte[] json = "{\"payload\":{\"n\":1}}".getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(client.requester().route(Routes.TASK_SUBMIT).data(json).retrieveMono(TaskView.class))
                .expectErrorSatisfies(error -> {
                    ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                    assertThat(protocol.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(protocol.detail()).contains("type");
                })
                .verify(WITHIN);
        workers.echo("submit-after-a", "submit-after-echo");
        assertThat(client.submit(Specs.spec("submit-after-echo", 1)).taskId()).as("the connection still serves").isNotBlank();
    }

    @Test
    void getOfAnUnknownTaskIsNotFound() {
        StepVerifier.create(client.requester().route(Routes.TASK_GET).data(new TaskRef("no-such-task"))
                        .retrieveMono(TaskView.class))
                .expectErrorSatisfies(error -> {
                    ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                    assertThat(protocol.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(protocol.detail()).contains("no-such-task");
                })
                .verify(WITHIN);
    }
}
