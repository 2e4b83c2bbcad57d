package io.taskwire.scheduler.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStateMachineTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    private static final TaskError LOST = TaskError.of(ErrorCode.INTERNAL, "worker lost", true);

    @Test
    void dispatchStartsANumberedAttemptWithItsFenceAndDeadline() {
        Task task = task(3);

        TaskAssignment assignment = task.dispatch("w-1", "e:1", NOW);

        assertThat(task.status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(assignment.attempt()).isEqualTo(1);
        assertThat(assignment.fence()).isEqualTo("e:1");
        assertThat(assignment.deadline()).isEqualTo(NOW.plusSeconds(30));
        assertThat(task.view().workerId()).isEqualTo("w-1");
        assertThat(task.dispatch("w-2", "e:2", NOW)).as("a dispatched task is not dispatched again").isNull();
    }

    @Test
    void successIsRecordedOnceAndARepeatIsADuplicate() {
        Task task = task(3);
        TaskAssignment assignment = task.dispatch("w-1", "e:1", NOW);
        TaskResult result = result(assignment, Outcome.SUCCEEDED, null);

        assertThat(task.record(result, NOW)).isEqualTo(Task.Recording.ACCEPTED);
        TaskView recorded = task.view();
        assertThat(task.record(result, NOW.plusSeconds(1))).isEqualTo(Task.Recording.DUPLICATE);

        assertThat(recorded.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(recorded.output()).isEqualTo(result.output());
        assertThat(recorded.finishedAt()).isEqualTo(NOW);
        assertThat(task.view()).isEqualTo(recorded);
    }

    @Test
    void resultOfAnEarlierAttemptOrWithAnotherFenceIsStale() {
        Task task = task(3);
        TaskAssignment first = task.dispatch("w-1", "e:1", NOW);
        task.attemptLost(1, LOST, NOW);
        TaskAssignment second = task.dispatch("w-2", "e:2", NOW);

        assertThat(task.record(result(first, Outcome.SUCCEEDED, null), NOW)).isEqualTo(Task.Recording.STALE);
        TaskResult forged = new TaskResult(second.taskId(), second.attempt(), "w-2", "e:1", Outcome.SUCCEEDED,
                second.payload(), null, NOW, NOW);
        assertThat(task.record(forged, NOW)).isEqualTo(Task.Recording.STALE);
        assertThat(task.status()).isEqualTo(TaskStatus.DISPATCHED);
    }

    @Test
    void rejectionMakesTheTaskPendingAgainWithoutSpendingAnAttempt() {
        Task task = task(1);
        TaskAssignment refused = task.dispatch("w-1", "e:1", NOW);

        assertThat(task.record(result(refused, Outcome.REJECTED, null), NOW)).isEqualTo(Task.Recording.REJECTED);
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);

        TaskAssignment retried = task.dispatch("w-2", "e:2", NOW);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(task.record(result(retried, Outcome.SUCCEEDED, null), NOW)).isEqualTo(Task.Recording.ACCEPTED);
        assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void retryableFailureRetriesUntilAttemptsAreSpentThenFailsWithTheLastError() {
        Task task = task(2);
        TaskAssignment first = task.dispatch("w-1", "e:1", NOW);
        task.record(result(first, Outcome.FAILED, new TaskError("BOOM", "first", true)), NOW);
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);

        TaskAssignment second = task.dispatch("w-1", "e:2", NOW);
        task.record(result(second, Outcome.FAILED, new TaskError("BOOM", "second", true)), NOW);

        TaskView failed = task.view();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("BOOM");
        assertThat(failed.error().message()).startsWith("second").contains("all 2 attempts spent");
        assertThat(failed.error().retryable()).isFalse();
    }

    @Test
    void nonRetryableFailureFailsAtOnce() {
        Task task = task(5);
        TaskAssignment first = task.dispatch("w-1", "e:1", NOW);

        task.record(result(first, Outcome.FAILED, new TaskError("BAD_INPUT", "no such file", false)), NOW);

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.view().error().message()).isEqualTo("no such file");
    }

    @Test
    void lostAttemptSpendsAnAttemptAndOnlyTheCurrentOneCounts() {
        Task task = task(2);
        task.dispatch("w-1", "e:1", NOW);

        assertThat(task.attemptLost(1, LOST, NOW)).isTrue();
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(task.attemptLost(1, LOST, NOW)).as("the same loss twice").isFalse();

        task.dispatch("w-2", "e:2", NOW);
        assertThat(task.attemptLost(1, LOST, NOW)).as("loss of an old attempt").isFalse();
        assertThat(task.attemptLost(2, LOST, NOW)).isTrue();
        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.view().error().message()).contains("worker lost");
    }

    @Test
    void deadlineWithAttemptsLeftMakesTheTaskPendingAgain() {
        Task task = task(3);
        task.dispatch("w-1", "e:1", NOW);

        assertThat(task.timedOut(2, NOW)).as("another attempt's deadline").isFalse();
        assertThat(task.timedOut(1, NOW)).isTrue();

        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(task.attemptsSpent()).isEqualTo(1);
        assertThat(task.timedOut(1, NOW)).as("a second deadline").isFalse();
    }

    @Test
    void deadlineOfTheLastAttemptEndsTheTaskAsTimedOut() {
        Task task = task(1);
        task.dispatch("w-1", "e:1", NOW);

        assertThat(task.timedOut(1, NOW)).isTrue();

        assertThat(task.status()).isEqualTo(TaskStatus.TIMED_OUT);
        assertThat(task.view().error().code()).isEqualTo("TIMEOUT");
        assertThat(task.view().error().message()).contains("w-1");
    }

    @Test
    void abortEndsAnyUnfinishedTaskAndLeavesAFinishedOneAlone() {
        Task pending = task(3);
        assertThat(pending.abort(NOW)).isTrue();
        assertThat(pending.status()).isEqualTo(TaskStatus.ABORTED);
        assertThat(pending.dispatch("w-1", "e:1", NOW)).as("an aborted task is never dispatched").isNull();

        Task running = task(3);
        TaskAssignment assignment = running.dispatch("w-1", "e:1", NOW);
        assertThat(running.abort(NOW)).isTrue();
        assertThat(running.record(result(assignment, Outcome.SUCCEEDED, null), NOW))
                .as("a result after the abort").isNotEqualTo(Task.Recording.ACCEPTED);
        assertThat(running.status()).isEqualTo(TaskStatus.ABORTED);

        Task done = task(3);
        done.record(result(done.dispatch("w-1", "e:1", NOW), Outcome.SUCCEEDED, null), NOW);
        TaskView before = done.view();
        assertThat(done.abort(NOW.plusSeconds(1))).isFalse();
        assertThat(done.view()).isEqualTo(before);
    }

    @Test
    void workerReportedCancellationEndsAbortedAndTimeoutEndsTimedOut() {
        Task cancelled = task(3);
        cancelled.record(result(cancelled.dispatch("w-1", "e:1", NOW), Outcome.CANCELLED, null), NOW);
        Task late = task(3);
        late.record(result(late.dispatch("w-1", "e:1", NOW), Outcome.TIMED_OUT, null), NOW);

        assertThat(cancelled.status()).isEqualTo(TaskStatus.ABORTED);
        assertThat(late.status()).isEqualTo(TaskStatus.TIMED_OUT);
        assertThat(late.view().error()).as("an error is recorded even when the worker sent none").isNotNull();
    }

    private static Task task(int maxAttempts) {
        TaskSpec spec = TaskSpec.of("echo", Json.mapper().createObjectNode().put("n", 1));
        return new Task("task-1", spec, NOW, Duration.ofSeconds(30), maxAttempts, null);
    }

    private static TaskResult result(TaskAssignment assignment, Outcome outcome, TaskError error) {
        return new TaskResult(assignment.taskId(), assignment.attempt(), "w-1", assignment.fence(), outcome,
                outcome == Outcome.SUCCEEDED ? assignment.payload() : null, error, NOW, NOW);
    }
}
