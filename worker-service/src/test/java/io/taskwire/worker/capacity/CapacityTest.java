package io.taskwire.worker.capacity;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WorkerTest({"taskwire.worker.id=w-full", "taskwire.worker.slots=1"})
class CapacityTest {

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(1)).start(0);

    @Test
    void fullWorkerRejectsAtOnce() throws Exception {
        TaskAssignment longSleep = Tasks.sleep(5_000);
        CompletableFuture<TaskResult> first = scheduler.execute(longSleep).toFuture();
        scheduler.heartbeats().clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            FakeScheduler.Beat beat = scheduler.heartbeats().poll(1, TimeUnit.SECONDS);
            return beat != null && beat.heartbeat().running() == 1 && beat.heartbeat().freeSlots() == 0;
        });
        long sentAt = System.nanoTime();

        TaskResult second = scheduler.execute(Tasks.echo("{\"n\":2}")).block(Duration.ofSeconds(4));

        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(second.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(second.error().code()).isEqualTo(ErrorCode.AT_CAPACITY.name());
        assertThat(second.error().retryable()).isTrue();
        assertThat(first).as("the running task is untouched").isNotDone();

        scheduler.cancel(new TaskCancel(longSleep.taskId(), longSleep.attempt(), "test over"));
        assertThat(first.get(3, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.CANCELLED);
    }
}
