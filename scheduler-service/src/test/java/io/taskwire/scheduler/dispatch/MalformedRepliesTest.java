package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.support.FakeWorker;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A worker that answers task.execute with another task's, attempt's or fence's result, or with data
 * that does not parse, is at fault, not the task: the attempt counts against that worker's breaker,
 * the task runs again elsewhere as a new attempt, and a worker that keeps doing it is disconnected
 * and refused for a while.
 */
@SchedulerTest
@TestPropertySource(properties = {"taskwire.scheduler.registry.fault-limit=3",
        "taskwire.scheduler.registry.fault-cool-down=1h"})
class MalformedRepliesTest extends WithFakeWorkersAndClient {

    private static final java.time.Duration REPLY_AFTER = java.time.Duration.ofMillis(300);

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @Test
    void aResultForAnotherTaskIdRunsTheTaskAgainElsewhere() {
        assertRunsAgainElsewhere("wrong-id", assignment -> result(assignment, assignment.taskId() + "-other",
                assignment.attempt(), assignment.fence()));
    }

    @Test
    void aResultForAnotherAttemptRunsTheTaskAgainElsewhere() {
        assertRunsAgainElsewhere("wrong-attempt", assignment -> result(assignment, assignment.taskId(),
                assignment.attempt() + 1, assignment.fence()));
    }

    @Test
    void aResultWithAnotherFenceRunsTheTaskAgainElsewhere() {
        assertRunsAgainElsewhere("wrong-fence", assignment -> result(assignment, assignment.taskId(),
                assignment.attempt(), "0:0"));
    }

    @Test
    void aResultWhoseOutcomeDoesNotParseRunsTheTaskAgainElsewhere() {
        String type = "unparsable-echo";
        FakeWorker faulty = workers.silent("unparsable-bad", type);
        // the reply comes once the good worker is there, so that the new attempt can go to it
        faulty.answerRaw(assignment -> Mono.delay(REPLY_AFTER).thenReturn(Json.write(
                FakeWorker.result(assignment, "unparsable-bad", Outcome.SUCCEEDED)).replace("\"SUCCEEDED\"", "\"WONDERFUL\"")));

        String id = client.submit(Specs.spec(type, 1)).taskId();
        assertThat(FakeWorkers.poll(faulty.assignments, WITHIN)).isNotNull();
        workers.echo("unparsable-good", type);

        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
        assertThat(done.workerId()).isEqualTo("unparsable-good");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(failedCalls("unparsable-bad")).isEqualTo(1);
    }

    @Test
    void aWorkerPastTheFaultLimitIsDisconnectedAndRefusedAtSetup() {
        String type = "offender-echo";
        FakeWorker faulty = workers.start(FakeWorker.hello("offender", 1, type),
                assignment -> Mono.just(result(assignment, assignment.taskId(), assignment.attempt(), "0:0")));
        double leftBefore = meters.counter("taskwire.workers.left", "reason", "faulty").count();

        for (int n = 0; n < 4; n++) {
            client.submit(Specs.withAttempts(type, n, 1));
        }

        await().atMost(WITHIN).until(() -> registry.find("offender").isEmpty());
        assertThat(faulty.assignments).as("the fourth malformed reply disconnects it").hasSize(4);
        assertThat(meters.counter("taskwire.workers.left", "reason", "faulty").count()).isEqualTo(leftBefore + 1);

        try (FakeWorker back = FakeWorker.connect(port, FakeWorker.hello("offender", 1, type), assignment -> Mono.never())) {
            StepVerifier.create(back.connection().onClose())
                    .expectErrorSatisfies(refusal -> {
                        ProtocolException protocol = ProtocolException.fromWire(refusal.getMessage());
                        assertThat(protocol.code()).isEqualTo(ErrorCode.FORBIDDEN);
                        assertThat(protocol.detail()).contains("offender").contains("malformed replies");
                    })
                    .verify(WITHIN);
        }
        assertThat(registry.find("offender")).isEmpty();
    }

    private void assertRunsAgainElsewhere(String name, Function<TaskAssignment, TaskResult> wrongAnswer) {
        String type = name + "-echo";
        FakeWorker faulty = workers.start(FakeWorker.hello(name + "-bad", 4, type),
                assignment -> Mono.delay(REPLY_AFTER).thenReturn(wrongAnswer.apply(assignment)));

        String id = client.submit(Specs.spec(type, 1)).taskId();
        TaskAssignment first = FakeWorkers.poll(faulty.assignments, WITHIN);
        assertThat(first).isNotNull();
        workers.echo(name + "-good", type);

        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
        assertThat(done.workerId()).isEqualTo(name + "-good");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(failedCalls(name + "-bad")).as("counted against the worker's breaker").isEqualTo(1);
        assertThat(registry.find(name + "-bad")).as("one malformed reply is not enough to disconnect").isPresent();
    }

    private int failedCalls(String workerId) {
        return breakers.getAllCircuitBreakers().stream()
                .filter(breaker -> breaker.getName().equals("worker:" + workerId))
                .mapToInt(breaker -> breaker.getMetrics().getNumberOfFailedCalls())
                .sum();
    }

    private static TaskResult result(TaskAssignment assignment, String taskId, int attempt, String fence) {
        TaskResult good = FakeWorker.result(assignment, "any", Outcome.SUCCEEDED);
        return new TaskResult(taskId, attempt, good.workerId(), fence, good.outcome(), good.output(), good.error(),
                good.startedAt(), good.finishedAt());
    }
}
