package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} on a worker process holding 100 tasks: the scheduler notices at once through the
 * closed connection, and every task runs again on the other worker and is recorded once.
 */
class KillNineTest {

    private static final int TASKS = 100;
    private static final long TASK_MS = 3000;

    private FirstTakesAll workers;
    private InProcessScheduler scheduler;
    private WorkerProcess doomed;
    private WorkerProcess survivor;
    private Ledger ledger;

    @BeforeEach
    void startWorkers() throws Exception {
        workers = FirstTakesAll.start("kill9-doomed", "kill9-survivor", TASKS);
        scheduler = workers.scheduler;
        doomed = workers.first;
        survivor = workers.second;
        ledger = workers.ledger;
    }

    @AfterEach
    void stopEverything() throws Exception {
        workers.close();
    }

    @Test
    void killedWorkerLeavesWithinOneSecondAndEveryTaskSucceedsOnceOnTheOtherWorker() throws Exception {
        workers.handToFirst(SleepTasks.sleeps(TASKS, TASK_MS));
        assertThat(ledger.finished()).as("tasks that ended before the kill").isEmpty();

        long killedAt = doomed.kill9();
        InProcessScheduler.Departure departure = scheduler.awaitDeparture(doomed.id(), Duration.ofSeconds(3));

        Duration detection = departure.since(killedAt);
        assertThat(detection).as("from SIGKILL to WorkerLeft").isLessThan(Duration.ofSeconds(1));
        assertThat(scheduler.registry().find(doomed.id())).isEmpty();
        ledger.awaitAllFinal(Duration.ofSeconds(20));
        Map<String, TaskEvent> finals = ledger.assertEveryTaskEndedOnce();
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(survivor.id());
            assertThat(event.attempt()).isEqualTo(2);
        });
        record(detection, departure);
    }

    private void record(Duration detection, InProcessScheduler.Departure departure) throws Exception {
        List<Long> redispatched = ledger.events().stream()
                .filter(seen -> seen.event().status() == TaskStatus.DISPATCHED)
                .filter(seen -> survivor.id().equals(seen.event().workerId()))
                .map(seen -> seen.atNanos() - departure.atNanos())
                .sorted()
                .toList();
        assertThat(redispatched).hasSize(TASKS);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", TASKS);
        figures.put("kill9DetectionMs", detection.toMillis());
        figures.put("detectionToFirstRedispatchMs", Duration.ofNanos(redispatched.get(0)).toMillis());
        figures.put("detectionToAllRedispatchedMs", Duration.ofNanos(redispatched.get(TASKS - 1)).toMillis());
        Figures.record("KillNineTest", figures);
        System.out.println("[reliability] ledger: " + ledger.summary());
    }
}
