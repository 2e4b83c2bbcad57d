package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@SchedulerTest
class BatchAndIdempotentSubmissionTest extends WithFakeWorkersAndClient {

    @Autowired
    TestRestTemplate http;

    @Test
    void batchSubmissionAnswersOneViewPerSpecInOrder() {
        workers.echo("batch-a", "batch-x", "batch-y");
        List<TaskSpec> specs = List.of(Specs.spec("batch-x", 0), Specs.spec("batch-y", 1), Specs.spec("batch-x", 2));

        List<TaskView> views = client.requester().route(Routes.TASK_SUBMIT_BATCH).data(specs)
                .retrieveMono(new ParameterizedTypeReference<List<TaskView>>() { }).block(WITHIN);

        assertThat(views).extracting(TaskView::type).containsExactly("batch-x", "batch-y", "batch-x");
        assertThat(views).extracting(TaskView::taskId).doesNotHaveDuplicates();
        for (int i = 0; i < views.size(); i++) {
            TaskView done = client.awaitStatus(views.get(i).taskId(), TaskStatus.SUCCEEDED, WITHIN);
            assertThat(done.output()).as("output of view %d", i).isEqualTo(Specs.payload(i));
        }
    }

    @Test
    void httpBatchReachesAWorkerWithAsManyFreeSlotsAsOneTaskExecuteBatch() {
        FakeWorker worker = workers.start(FakeWorker.hello("http-bat-a", 6, "http-bat-echo"),
                assignment -> FakeWorker.echo(assignment, "http-bat-a"));
        String specs = IntStream.range(0, 6).mapToObj(n -> HttpCalls.spec("http-bat-echo", n))
                .collect(Collectors.joining(",", "[", "]"));

        ResponseEntity<String> accepted = new HttpCalls(http).post("/api/v1/tasks/batch", specs);

        assertThat(accepted.getStatusCode().value()).isEqualTo(202);
        List<TaskView> views = HttpCalls.read(accepted, new TypeReference<List<TaskView>>() { });
        views.forEach(view -> client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN));
        assertThat(worker.batches).as("batches received").hasSize(1);
        assertThat(worker.batches.peek().count()).isEqualTo(6);
        assertThat(worker.assignments).as("assignments, batched or not").hasSize(6);
    }

    @Test
    void batchWithOneUnknownTypeCreatesNoTaskAndNamesTheSpec() {
        FakeWorker worker = workers.echo("batch-bad-a", "batch-bad-echo");
        List<TaskSpec> specs = List.of(Specs.spec("batch-bad-echo", 0), Specs.spec("batch-bad-unknown", 1));

        Mono<List<TaskView>> answer = client.requester().route(Routes.TASK_SUBMIT_BATCH).data(specs)
                .retrieveMono(new ParameterizedTypeReference<List<TaskView>>() { });

        StepVerifier.create(answer)
                .expectErrorSatisfies(error -> {
                    ProtocolException protocol = ProtocolException.fromWire(error.getMessage());
                    assertThat(protocol.code()).isEqualTo(ErrorCode.UNKNOWN_TASK_TYPE);
                    assertThat(protocol.detail()).contains("[1].type");
                })
                .verify(WITHIN);
        assertThat(listOfType("batch-bad-echo")).isEmpty();
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(200))).isNull();
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstTaskAndCreatesNoOther() {
        FakeWorker worker = workers.echo("idem-a", "idem-echo");
        TaskSpec spec = new TaskSpec("idem-echo", Specs.payload(1), "order-17", null, null, null, null, null);

        TaskView first = client.submit(spec);
        client.awaitStatus(first.taskId(), TaskStatus.SUCCEEDED, WITHIN);
        TaskView second = client.submit(spec);

        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(second.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(listOfType("idem-echo")).extracting(TaskView::taskId).containsExactly(first.taskId());
        assertThat(FakeWorkers.take(worker.assignments, 1, WITHIN)).hasSize(1);
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(200))).as("a second run").isNull();
    }

    @Test
    void oneKeySubmittedFiftyTimesAtOnceIsOneTaskStoredOnceAndRunOnce() {
        FakeWorker worker = workers.echo("idem-c", "idem-many");
        TaskSpec spec = new TaskSpec("idem-many", Specs.payload(2), "order-at-once", null, null, null, null, null);

        List<TaskView> views = Flux.range(0, 50)
                .flatMap(n -> client.requester().route(Routes.TASK_SUBMIT).data(spec).retrieveMono(TaskView.class), 50)
                .collectList().block(WITHIN);

        assertThat(views).hasSize(50).extracting(TaskView::taskId).containsOnly(views.get(0).taskId());
        client.awaitStatus(views.get(0).taskId(), TaskStatus.SUCCEEDED, WITHIN);
        assertThat(listOfType("idem-many")).as("the tasks in the store").hasSize(1);
        assertThat(FakeWorkers.take(worker.assignments, 1, WITHIN)).hasSize(1);
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(200))).as("a second run").isNull();
    }

    private List<TaskView> listOfType(String type) {
        return http.exchange("/api/v1/tasks?type={type}", HttpMethod.GET, null,
                new ParameterizedTypeReference<List<TaskView>>() { }, type).getBody();
    }
}
