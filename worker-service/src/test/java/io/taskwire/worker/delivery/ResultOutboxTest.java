package io.taskwire.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.execution.TaskRunner;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.Workers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A task whose connection is lost mid-run keeps running; its result waits in the outbox and is
 * delivered by {@code task.result.batch} once the worker is registered again, and any
 * acknowledgement, stale included, clears it.
 */
class ResultOutboxTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void resultOfATaskCutOffFromItsReplyIsDeliveredAfterReconnecting() throws InterruptedException {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(2)).start(0);
             ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-outbox")) {
            TaskResult delivered = cutOffMidTask(scheduler, worker);

            assertThat(delivered.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(delivered.output().get("sleptMs").asLong()).isEqualTo(600);
            await().atMost(WITHIN).until(() -> worker.getBean(ResultOutbox.class).size() == 0);
        }
    }

    @Test
    void staleAcknowledgementClearsTheOutboxToo() throws InterruptedException {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(2)).acknowledgingStale().start(0);
             ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-stale")) {
            cutOffMidTask(scheduler, worker);

            await().atMost(WITHIN).until(() -> worker.getBean(ResultOutbox.class).size() == 0);
            assertThat(scheduler.delivered().poll(1, TimeUnit.SECONDS)).as("delivered again after a stale ack").isNull();
        }
    }

    /** Starts a 600 ms sleep, drops the connection while it runs, and returns the delivered result. */
    private static TaskResult cutOffMidTask(FakeScheduler scheduler, ConfigurableApplicationContext worker)
            throws InterruptedException {
        await().atMost(WITHIN).until(() -> Workers.registered(worker));
        TaskAssignment sleep = Tasks.assignment("sleep", "{\"ms\":600}", Duration.ofSeconds(30));
        scheduler.execute(sleep).subscribe(result -> { }, lost -> { });
        await().atMost(WITHIN).until(() -> worker.getBean(TaskRunner.class).runningCount() == 1);

        scheduler.dropConnections();

        TaskResult delivered = scheduler.delivered().poll(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(delivered).as("result delivered from the outbox").isNotNull();
        assertThat(delivered.taskId()).isEqualTo(sleep.taskId());
        assertThat(delivered.attempt()).isEqualTo(sleep.attempt());
        assertThat(delivered.fence()).isEqualTo(sleep.fence());
        assertThat(scheduler.setups()).as("the worker dialed again").hasSizeGreaterThanOrEqualTo(2);
        return delivered;
    }
}
