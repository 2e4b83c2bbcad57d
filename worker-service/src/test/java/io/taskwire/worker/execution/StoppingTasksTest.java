package io.taskwire.worker.execution;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Deadlines and {@code task.cancel} on a worker with a single slot, so that a stuck slot shows. */
@WorkerTest({"taskwire.worker.id=w-stop", "taskwire.worker.slots=1"})
class StoppingTasksTest {

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(1)).start(0);

    @BeforeEach
    void slotIsFree() {
        awaitEchoSucceeds(Duration.ofSeconds(5));
    }

    @Test
    void deadlineStopsHandlerAndFreesItsSlot() {
        TaskAssignment longSleep = Tasks.assignment("sleep", "{\"ms\":10000}", Duration.ofMillis(300));
        long sentAt = System.nanoTime();

        TaskResult result = scheduler.execute(longSleep).block(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.error().code()).isEqualTo(ErrorCode.TIMEOUT.name());
        assertThat(result.taskId()).isEqualTo(longSleep.taskId());
        awaitEchoSucceeds(Duration.ofSeconds(2));
    }

    @Test
    void cancelStopsRunningAttemptOnly() throws Exception {
        TaskAssignment longSleep = Tasks.assignment("t-cancel", 3, "sleep", "{\"ms\":10000}", Duration.ofSeconds(30));
        CompletableFuture<TaskResult> result = scheduler.execute(longSleep).toFuture();
        awaitRunning();

        scheduler.cancel(new TaskCancel("t-cancel", 2, "an older attempt"));
        assertThatThrownBy(() -> result.get(700, TimeUnit.MILLISECONDS))
                .as("a cancel for attempt 2 leaves attempt 3 running").isInstanceOf(TimeoutException.class);

        long cancelledAt = System.nanoTime();
        scheduler.cancel(new TaskCancel("t-cancel", 3, "aborted by the client"));
        TaskResult cancelled = result.get(3, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(cancelled.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(cancelled.attempt()).isEqualTo(3);
        awaitEchoSucceeds(Duration.ofSeconds(2));
    }

    private void awaitRunning() {
        scheduler.heartbeats().clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            FakeScheduler.Beat beat = scheduler.heartbeats().poll(1, TimeUnit.SECONDS);
            return beat != null && beat.heartbeat().running() == 1;
        });
    }

    private void awaitEchoSucceeds(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> scheduler.execute(Tasks.echo("{}"))
                .block(Duration.ofSeconds(2)).outcome() == Outcome.SUCCEEDED);
    }
}
