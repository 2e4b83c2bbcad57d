package io.taskwire.worker.capacity;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=worker,application",
        "taskwire.worker.id=w-full",
        "taskwire.worker.slots=1"})
@DirtiesContext
class CapacityTest {

    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(1)).start(0);

    @DynamicPropertySource
    static void scheduler(DynamicPropertyRegistry registry) {
        registry.add("taskwire.worker.scheduler.port", scheduler::port);
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.close();
    }

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
