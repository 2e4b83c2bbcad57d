package io.taskwire.worker.connection;

import io.taskwire.messages.Outcome;
import io.taskwire.messages.Routes;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.worker.execution.TaskRunner;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.Workers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker dials until a scheduler is there, and again whenever the scheduler goes away. */
class ReconnectTest {

    @Test
    void startsBeforeSchedulerAndConnectsWhenItAppears() {
        int port = FakeScheduler.freePort();
        try (ConfigurableApplicationContext worker = Workers.start(port, "taskwire.worker.id=w-early");
             FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(4))) {
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                    .until(() -> !Workers.registered(worker));

            scheduler.start(port);

            FakeScheduler.Setup setup = scheduler.awaitSetups(1, Duration.ofSeconds(5));
            assertThat(setup.route()).isEqualTo(Routes.WORKER_CONNECT);
            assertThat(setup.hello().workerId()).isEqualTo("w-early");
            await().atMost(Duration.ofSeconds(3)).until(() -> Workers.registered(worker));
            assertThat(scheduler.execute(Tasks.echo("{\"late\":true}")).block(Duration.ofSeconds(5)).outcome())
                    .isEqualTo(Outcome.SUCCEEDED);
        }
    }

    @Test
    void reconnectsAfterSchedulerRestart() throws InterruptedException {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(4)).start(0);
             ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-again")) {
            scheduler.awaitSetups(1, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> Workers.registered(worker));

            scheduler.stop();
            await().atMost(Duration.ofSeconds(3)).until(() -> !Workers.registered(worker));
            scheduler.heartbeats().clear();
            scheduler.start(scheduler.port());

            FakeScheduler.Setup again = scheduler.awaitSetups(2, Duration.ofSeconds(5));
            assertThat(again.hello().workerId()).isEqualTo("w-again");
            assertThat(scheduler.heartbeats().poll(3, TimeUnit.SECONDS))
                    .as("heartbeats resume on the new connection").isNotNull();
            assertThat(scheduler.execute(Tasks.echo("{\"again\":true}")).block(Duration.ofSeconds(5)).outcome())
                    .isEqualTo(Outcome.SUCCEEDED);
        }
    }

    @Test
    void aReconnectingWorkerListsTheAttemptsItStillRunsInItsHello() {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(4)).start(0);
             ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-running")) {
            scheduler.awaitSetups(1, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> Workers.registered(worker));
            assertThat(scheduler.setups().get(0).hello().running()).as("a fresh worker runs nothing").isEmpty();
            TaskAssignment longTask = Tasks.sleep(10_000);
            scheduler.execute(longTask).subscribe(result -> { }, failure -> { });
            await().atMost(Duration.ofSeconds(5)).until(() -> worker.getBean(TaskRunner.class).runningCount() == 1);

            scheduler.stop();
            await().atMost(Duration.ofSeconds(3)).until(() -> !Workers.registered(worker));
            scheduler.start(scheduler.port());

            FakeScheduler.Setup again = scheduler.awaitSetups(2, Duration.ofSeconds(5));
            assertThat(again.hello().running()).containsExactly(RunningAttempt.of(longTask));
        }
    }
}
