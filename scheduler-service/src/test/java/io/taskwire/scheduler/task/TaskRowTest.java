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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A task the store kept goes on after a restart exactly where it was. */
class TaskRowTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:15:30Z");

    @Test
    void aRestoredTaskHasTheViewAndTheRowOfTheTaskItWasStoredFrom() {
        Task task = task(3);
        task.dispatch("w-1", "e:1", NOW);
        task.attemptLost(1, TaskError.of(ErrorCode.INTERNAL, "worker lost", true), NOW.plusSeconds(1));
        TaskAssignment refused = task.dispatch("w-2", "e:2", NOW.plusSeconds(2));
        task.record(new TaskResult(refused.taskId(), 2, "w-2", "e:2", Outcome.REJECTED, null,
                TaskError.of(ErrorCode.AT_CAPACITY, "full", true), NOW, NOW), NOW.plusSeconds(3));
        task.avoid("w-1");
        task.dispatch("w-3", "e:3", NOW.plusSeconds(4));

        Task restored = Task.restored(task.row());

        assertThat(restored.view()).isEqualTo(task.view());
        assertThat(restored.row()).isEqualTo(task.row());
        assertThat(restored.row().recordedAttempt()).isEqualTo(2);
        assertThat(restored.attemptsSpent()).isEqualTo(1);
        assertThat(restored.avoidedWorker()).isEqualTo("w-1");
        assertThat(restored.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRestoredDispatchedTaskTakesItsAttemptsResultOnceAndNoOtherAttempts() {
        Task task = task(3);
        TaskAssignment running = task.dispatch("w-1", "e:1", NOW);
        Task restored = Task.restored(task.row());
        TaskResult result = new TaskResult(running.taskId(), 1, "w-1", "e:1", Outcome.SUCCEEDED,
                Json.mapper().createObjectNode().put("ok", true), null, NOW, NOW);
        TaskResult otherFence = new TaskResult(running.taskId(), 1, "w-1", "e:9", Outcome.SUCCEEDED,
                null, null, NOW, NOW);

        assertThat(restored.record(otherFence, NOW)).isEqualTo(Task.Recording.STALE);
        assertThat(restored.record(result, NOW)).isEqualTo(Task.Recording.ACCEPTED);
        assertThat(restored.record(result, NOW)).isEqualTo(Task.Recording.DUPLICATE);
        assertThat(restored.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(restored.dispatch("w-2", "e:2", NOW)).isNull();
    }

    @Test
    void aRestoredTaskWithItsLastAttemptSpentFailsForGoodWhenThatAttemptIsLost() {
        Task task = task(2);
        task.dispatch("w-1", "e:1", NOW);
        task.attemptLost(1, TaskError.of(ErrorCode.INTERNAL, "worker lost", true), NOW);
        task.dispatch("w-2", "e:2", NOW);
        Task restored = Task.restored(task.row());

        assertThat(restored.attemptLost(2, TaskError.of(ErrorCode.INTERNAL, "worker lost again", true), NOW)).isTrue();

        assertThat(restored.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(restored.view().error().message()).contains("all 2 attempts spent");
    }

    private static Task task(int maxAttempts) {
        TaskSpec spec = TaskSpec.of("echo", Json.mapper().createObjectNode().put("n", 1));
        return new Task("task-1", spec, NOW, Duration.ofSeconds(30), maxAttempts, null);
    }
}
