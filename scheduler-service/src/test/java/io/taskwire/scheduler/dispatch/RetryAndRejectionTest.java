package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

@SchedulerTest
class RetryAndRejectionTest extends WithFakeWorkersAndClient {

    @Test
    void rejectedTaskMovesToAnotherWorkerWithoutSpendingAnAttempt() {
        FakeWorker refusing = workers.start(FakeWorker.hello("rej-a", 4, "rej-echo"),
                assignment -> Mono.just(FakeWorker.result(assignment, "rej-a", Outcome.REJECTED)));
        String id = client.submit(Specs.withAttempts("rej-echo", 1, 1)).taskId();
        TaskAssignment refused = FakeWorkers.poll(refusing.assignments, WITHIN);
        assertThat(refused).as("the refusing worker got the task first").isNotNull();

        FakeWorker willing = workers.echo("rej-b", "rej-echo");
        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);

        assertThat(done.workerId()).isEqualTo("rej-b");
        assertThat(done.output()).isEqualTo(Specs.payload(1));
        assertThat(refused.attempt()).isEqualTo(1);
        assertThat(done.attempt()).as("each dispatch numbers a new attempt").isGreaterThan(1);
        assertThat(willing.assignments).extracting(TaskAssignment::attempt).containsExactly(done.attempt());
    }

    @Test
    void workerRefusingWithAtCapacityErrorIsTreatedAsRejected() {
        FakeWorker full = workers.start(FakeWorker.hello("cap-a", 4, "cap-echo"),
                assignment -> Mono.error(new ProtocolException(ErrorCode.AT_CAPACITY, "all slots busy")));
        String id = client.submit(Specs.withAttempts("cap-echo", 1, 1)).taskId();
        assertThat(FakeWorkers.poll(full.assignments, WITHIN)).isNotNull();

        workers.echo("cap-b", "cap-echo");

        assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("cap-b");
    }

    @Test
    void retryableFailureIsRetriedUntilAttemptsAreSpentThenFailsWithTheLastError() {
        FakeWorker worker = workers.start(FakeWorker.hello("retry-a", 4, "retry-echo"),
                assignment -> Mono.just(failed(assignment, "retry-a", true)));

        String id = client.submit(Specs.withAttempts("retry-echo", 1, 3)).taskId();
        TaskView failed = client.awaitStatus(id, TaskStatus.FAILED, WITHIN);

        List<TaskAssignment> attempts = FakeWorkers.take(worker.assignments, 3, WITHIN);
        assertThat(attempts).extracting(TaskAssignment::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(TaskAssignment::fence).doesNotHaveDuplicates();
        assertThat(failed.attempt()).isEqualTo(3);
        assertThat(failed.error().code()).isEqualTo("HANDLER_ERROR");
        assertThat(failed.error().message()).contains("failure of attempt 3");
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(300))).as("a fourth attempt").isNull();
    }

    @Test
    void nonRetryableFailureFailsAfterOneAttempt() {
        FakeWorker worker = workers.start(FakeWorker.hello("fatal-a", 4, "fatal-echo"),
                assignment -> Mono.just(failed(assignment, "fatal-a", false)));

        String id = client.submit(Specs.withAttempts("fatal-echo", 1, 3)).taskId();
        TaskView failed = client.awaitStatus(id, TaskStatus.FAILED, WITHIN);

        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.error().message()).contains("failure of attempt 1");
        assertThat(FakeWorkers.take(worker.assignments, 1, WITHIN)).hasSize(1);
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(300))).as("a second attempt").isNull();
    }

    @Test
    void workerErrorReplyIsRetriedWhenInternalAndFinalWhenTheRequestWasInvalid() {
        FakeWorker broken = workers.start(FakeWorker.hello("err-a", 4, "err-echo"),
                assignment -> Mono.error(new ProtocolException(ErrorCode.INTERNAL, "worker fault")));
        String retried = client.submit(Specs.withAttempts("err-echo", 1, 2)).taskId();
        assertThat(FakeWorkers.take(broken.assignments, 2, WITHIN)).extracting(TaskAssignment::attempt)
                .containsExactly(1, 2);
        assertThat(client.awaitStatus(retried, TaskStatus.FAILED, WITHIN).error().code()).isEqualTo("INTERNAL");

        broken.answer(assignment -> Mono.error(new ProtocolException(ErrorCode.INVALID_REQUEST, "bad payload")));
        String invalid = client.submit(Specs.withAttempts("err-echo", 2, 3)).taskId();

        TaskView failed = client.awaitStatus(invalid, TaskStatus.FAILED, WITHIN);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.error().code()).isEqualTo("INVALID_REQUEST");
    }

    private static TaskResult failed(TaskAssignment assignment, String workerId, boolean retryable) {
        Instant now = Instant.now();
        return new TaskResult(assignment.taskId(), assignment.attempt(), workerId, assignment.fence(), Outcome.FAILED,
                null, new TaskError("HANDLER_ERROR", "failure of attempt " + assignment.attempt(), retryable), now, now);
    }
}
