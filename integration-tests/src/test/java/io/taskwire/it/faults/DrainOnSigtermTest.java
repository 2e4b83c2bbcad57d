package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a busy worker process: it drains. Every task it runs finishes there and is recorded
 * before the worker leaves the registry and exits; what is submitted meanwhile goes to the other worker.
 */
class DrainOnSigtermTest {

    private static final int SLOTS = 12;
    private static final int IN_FLIGHT = 10;
    private static final long TASK_MS = 3000;
    private static final int DURING_DRAIN = 6;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private FirstTakesAll workers;

    @BeforeEach
    void start() throws Exception {
        workers = FirstTakesAll.start("drain-busy", "drain-other", SLOTS,
                "--taskwire.worker.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms");
    }

    @AfterEach
    void stopEverything() throws Exception {
        workers.close();
    }

    @Test
    void terminatedWorkerFinishesAndDeliversEveryRunningTaskBeforeItLeavesAndExits() throws Exception {
        List<TaskView> running = workers.handToFirst(SleepTasks.sleeps(IN_FLIGHT, TASK_MS));

        long terminatedAt = workers.target.terminate();
        // the workers.scheduler learns of the drain (worker.drain) while the tasks still run, and keeps the worker listed
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() ->
                workers.scheduler.registry().find(workers.target.id()).map(WorkerSession::status).orElse(null) == WorkerStatus.DRAINING);
        long drainingAt = System.nanoTime();
        assertThat(workers.ledger.finished()).as("tasks that ended before the drain began").isEmpty();
        List<TaskView> duringDrain = workers.ledger.submitAll(SleepTasks.sleeps(DURING_DRAIN, 100));
        InProcessScheduler.Departure departure = workers.scheduler.awaitDeparture(workers.target.id(), SHUTDOWN_TIMEOUT.plus(MARGIN));
        assertThat(workers.target.awaitExit(SHUTDOWN_TIMEOUT.plus(MARGIN)))
                .as("worker exited within its shutdown timeout %s plus %s", SHUTDOWN_TIMEOUT, MARGIN).isTrue();
        long exitedAt = System.nanoTime();

        assertThat(departure.left().reason()).isEqualTo("connection closed");
        workers.ledger.awaitAllFinal(Duration.ofSeconds(10));
        Map<String, TaskEvent> finals = workers.ledger.assertEveryTaskEndedOnce();
        assertThat(running).allSatisfy(task -> {
            assertThat(finals.get(task.taskId())).satisfies(event -> {
                assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(event.workerId()).isEqualTo(workers.target.id());
                assertThat(event.attempt()).isEqualTo(1);
            });
            assertThat(workers.ledger.get(task.taskId()).finishedAt()).as("recorded before the worker left")
                    .isBeforeOrEqualTo(departure.at());
        });
        assertThat(duringDrain).allSatisfy(task -> assertThat(finals.get(task.taskId())).satisfies(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(workers.backup.id());
        }));
        assertThat(workers.ledger.events()).as("events of the tasks submitted during the drain")
                .filteredOn(seen -> duringDrain.stream().anyMatch(task -> task.taskId().equals(seen.event().taskId())))
                .noneMatch(seen -> workers.target.id().equals(seen.event().workerId()));

        long lastRunningEndedAt = workers.ledger.events().stream()
                .filter(seen -> seen.event().status().isFinal() && workers.target.id().equals(seen.event().workerId()))
                .mapToLong(Ledger.Seen::atNanos).max().orElseThrow();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("inFlight", IN_FLIGHT);
        figures.put("taskMs", TASK_MS);
        figures.put("sigtermToDrainingMs", Duration.ofNanos(drainingAt - terminatedAt).toMillis());
        figures.put("sigtermToLastResultMs", Duration.ofNanos(lastRunningEndedAt - terminatedAt).toMillis());
        figures.put("sigtermToLeftMs", departure.since(terminatedAt).toMillis());
        figures.put("drainMs", Duration.ofNanos(exitedAt - terminatedAt).toMillis());
        figures.put("shutdownTimeoutMs", SHUTDOWN_TIMEOUT.toMillis());
        Figures.record("DrainOnSigtermTest", figures);
        System.out.println("[reliability] ledger: " + workers.ledger.summary());
    }
}
