package io.taskwire.worker.execution;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

@WorkerTest({"taskwire.worker.id=w-exec", "taskwire.worker.slots=2"})
class TaskExecutionTest {

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(2)).start(0);

    @Test
    void runsEchoAndReturnsPayload() {
        TaskAssignment echo = Tasks.echo("{\"order\":17,\"lines\":[{\"sku\":\"a-1\",\"qty\":2}],\"note\":null}");

        TaskResult result = scheduler.execute(echo).block(Duration.ofSeconds(10));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.output()).isEqualTo(echo.payload());
        assertThat(result.error()).isNull();
        assertThat(result.taskId()).isEqualTo(echo.taskId());
        assertThat(result.attempt()).isEqualTo(echo.attempt());
        assertThat(result.fence()).isEqualTo(echo.fence());
        assertThat(result.workerId()).isEqualTo("w-exec");
        assertThat(result.finishedAt()).isAfterOrEqualTo(result.startedAt());
    }

    @Test
    void sleepHonoursMs() {
        long sentAt = System.nanoTime();

        TaskResult result = scheduler.execute(Tasks.sleep(400)).block(Duration.ofSeconds(10));

        Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.output()).isEqualTo(Tasks.json("{\"sleptMs\":400}"));
        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        assertThat(Duration.between(result.startedAt(), result.finishedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void unknownTypeIsRejected() {
        TaskResult result = scheduler.execute(Tasks.assignment("resize-image", "{}", Duration.ofSeconds(30)))
                .block(Duration.ofSeconds(10));

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.UNKNOWN_TASK_TYPE.name());
        assertThat(result.error().message()).contains("resize-image");
        assertThat(result.error().retryable()).as("another worker may have the handler").isTrue();
    }

    @Test
    void badSleepPayloadFailsAsInvalidRequestWithoutRetry() {
        TaskResult result = scheduler.execute(Tasks.assignment("sleep", "{\"ms\":\"x\"}", Duration.ofSeconds(30)))
                .block(Duration.ofSeconds(10));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST.name());
        assertThat(result.error().message()).contains("ms");
        assertThat(result.error().retryable()).isFalse();
    }
}
