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

    @BeforeEach
    void start() throws Exception {
        workers = FirstTakesAll.start("kill9-doomed", "kill9-survivor", TASKS);
    }

    @AfterEach
    void stopEverything() throws Exception {
        workers.close();
    }

    @Test
    void killedWorkerLeavesWithinOneSecondAndEveryTaskSucceedsOnceOnTheOtherWorker() throws Exception {
        workers.handToFirst(SleepTasks.sleeps(TASKS, TASK_MS));
        assertThat(workers.ledger.finished()).as("tasks that ended before the kill").isEmpty();

        long killedAt = workers.target.kill9();
        InProcessScheduler.Departure departure = workers.scheduler.awaitDeparture(workers.target.id(), Duration.ofSeconds(3));

        Duration detection = departure.since(killedAt);
        assertThat(detection).as("from SIGKILL to WorkerLeft").isLessThan(Duration.ofSeconds(1));
        assertThat(workers.scheduler.registry().find(workers.target.id())).isEmpty();
        workers.ledger.awaitAllFinal(Duration.ofSeconds(20));
        Map<String, TaskEvent> finals = workers.ledger.assertEveryTaskEndedOnce();
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(workers.backup.id());
            assertThat(event.attempt()).isEqualTo(2);
        });
        record(detection, departure);
    }

    private void record(Duration detection, InProcessScheduler.Departure departure) throws Exception {
        List<Long> redispatched = workers.ledger.events().stream()
                .filter(seen -> seen.event().status() == TaskStatus.DISPATCHED)
                .filter(seen -> workers.backup.id().equals(seen.event().workerId()))
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
        System.out.println("[reliability] ledger: " + workers.ledger.summary());
    }
}
