package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler restarts on the same port: worker processes find it again by themselves and take new work. */
class SchedulerRestartTest {

    private final Closer closer = new Closer();
    private final int port = InProcessScheduler.freePort();
    private InProcessScheduler scheduler;
    private List<WorkerProcess> workers;

    @BeforeEach
    void startCluster() throws Exception {
        scheduler = InProcessScheduler.start(port);
        workers = List.of(closer.add(WorkerProcess.start("restart-1", 4, port)),
                closer.add(WorkerProcess.start("restart-2", 4, port)));
        for (WorkerProcess worker : workers) {
            worker.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            closer.close();
        } finally {
            if (scheduler != null) {
                scheduler.close();
            }
        }
    }

    @Test
    void workersRegisterWithTheRestartedSchedulerWithinFiveSecondsAndTakeNewWork() throws Exception {
        scheduler.close();
        Instant stoppedAt = Instant.now();
        assertThat(workers).allSatisfy(worker -> assertThat(worker.isAlive()).isTrue());

        Instant startedAt = Instant.now();
        scheduler = InProcessScheduler.start(port);
        Instant readyAt = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                workers.stream().allMatch(worker -> scheduler.registry().find(worker.id()).isPresent()));
        Instant allBackAt = scheduler.registry().live().stream().map(WorkerSession::connectedAt)
                .max(Comparator.naturalOrder()).orElseThrow();

        try (Ledger ledger = Ledger.open(scheduler.client("restart"), SleepTasks.TYPE)) {
            List<TaskView> tasks = workers.stream().map(worker -> ledger.submit(SleepTasks.pinned(0, worker.id()))).toList();
            ledger.awaitAllFinal(Duration.ofSeconds(10));
            Map<String, TaskEvent> finals = ledger.assertEveryTaskEndedOnce();
            for (int i = 0; i < workers.size(); i++) {
                assertThat(finals.get(tasks.get(i).taskId())).satisfies(event -> {
                    assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
                }).extracting(TaskEvent::workerId).isEqualTo(workers.get(i).id());
            }
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("workers", workers.size());
        figures.put("schedulerDownMs", Duration.between(stoppedAt, startedAt).toMillis());
        figures.put("schedulerStartMs", Duration.between(startedAt, readyAt).toMillis());
        figures.put("reconnectAfterStartBeganMs", Duration.between(startedAt, allBackAt).toMillis());
        figures.put("reconnectAfterReadyMs", Math.max(0, Duration.between(readyAt, allBackAt).toMillis()));
        Figures.record("SchedulerRestartTest", figures);
    }
}
