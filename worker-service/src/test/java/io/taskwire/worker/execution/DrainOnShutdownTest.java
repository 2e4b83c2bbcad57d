package io.taskwire.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.DrainRequest;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.Workers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A stopping worker tells the scheduler, refuses new work, and delivers its running tasks before it goes. */
class DrainOnShutdownTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void stoppingWorkerDrainsAndDeliversItsRunningTask() throws Exception {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(2)).start(0)) {
            ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-drain");
            await().atMost(WITHIN).until(() -> Workers.registered(worker));
            TaskAssignment sleep = Tasks.assignment("sleep", "{\"ms\":800}", Duration.ofSeconds(30));
            CompletableFuture<TaskResult> reply = scheduler.execute(sleep).toFuture();
            await().atMost(WITHIN).until(() -> worker.getBean(TaskRunner.class).runningCount() == 1);

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(worker::close);

            DrainRequest drain = scheduler.drains().poll(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(drain).as("worker.drain sent").isNotNull();
            assertThat(drain.workerId()).isEqualTo("w-drain");
            TaskResult refused = scheduler.execute(Tasks.assignment("echo", "{}", Duration.ofSeconds(30)))
                    .block(WITHIN);
            assertThat(refused.outcome()).as("a task sent while draining").isEqualTo(Outcome.REJECTED);
            assertThat(reply.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);
            stopped.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(scheduler.delivered()).as("nothing left for an outbox").isEmpty();
        }
    }
}
