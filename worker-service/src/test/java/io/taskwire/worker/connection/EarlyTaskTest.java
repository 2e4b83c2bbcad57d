package io.taskwire.worker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task can reach the worker before {@code worker.config} has marked its connection registered (the
 * scheduler dispatches as soon as the SETUP is accepted). Its result must still come back as the
 * reply on that connection, not wait in the outbox while the scheduler's call hangs to its deadline.
 */
@WorkerTest({"taskwire.worker.id=w-early", "taskwire.worker.registration-timeout=60s"})
class EarlyTaskTest {

    /** Never sends worker.config: every task arrives before it. */
    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(null).start(0);

    @Test
    void aTaskThatArrivesBeforeWorkerConfigIsAnsweredOnItsOwnConnection() {
        scheduler.awaitSetups(1, Duration.ofSeconds(10));

        TaskResult result = scheduler.execute(Tasks.echo("{\"early\":true}")).block(Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }
}
