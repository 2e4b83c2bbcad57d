package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -STOP} on a worker process holding tasks: its connection stays open, so only the
 * heartbeat timeout can tell; its tasks finish on the other worker. After {@code kill -CONT} its
 * late results come back through its outbox and are acknowledged stale, changing nothing, and it
 * rejoins and takes new work.
 */
class PausedWorkerTest {

    private static final int TASKS = 20;
    private static final long TASK_MS = 3000;

    private FirstTakesAll workers;

    @BeforeEach
    void start() throws Exception {
        workers = FirstTakesAll.start("stop-paused", "stop-other", TASKS);
    }

    @AfterEach
    void stopEverything() throws Exception {
        workers.close();
    }

    @Test
    void pausedWorkerIsDeclaredOfflineAtTheTimeoutItsTasksEndElsewhereItsLateResultsAreStaleAndItRejoins()
            throws Exception {
        workers.handToFirst(SleepTasks.sleeps(TASKS, TASK_MS));
        assertThat(workers.ledger.finished()).as("tasks that ended before the pause").isEmpty();

        long pausedAt = workers.target.pause();
        InProcessScheduler.Departure departure = workers.scheduler.awaitDeparture(workers.target.id(), Duration.ofSeconds(4));

        Duration detection = departure.since(pausedAt);
        // the connection stayed open: only the heartbeat timeout can have noticed
        assertThat(departure.left().reason()).matches("no heartbeat for \\d+ ms");
        assertThat(silenceMs(departure)).isGreaterThanOrEqualTo(InProcessScheduler.HEARTBEAT_TIMEOUT.toMillis());
        // the timeout runs from the last heartbeat, which came about one interval (300 ms) before the pause
        assertThat(detection).as("from SIGSTOP to WorkerLeft")
                .isLessThan(InProcessScheduler.HEARTBEAT_TIMEOUT.plusSeconds(1));
        workers.ledger.awaitAllFinal(Duration.ofSeconds(15));
        assertThat(workers.target.isAlive()).isTrue();
        // the backup's results of batched attempts came by task.result.batch: counted once committed
        workers.scheduler.awaitStored(workers.ledger.finished().keySet(), Duration.ofSeconds(5));

        Map<String, Long> deliveredBefore = delivered();
        Instant resumedAt = Instant.now();
        long resumedNanos = System.nanoTime();
        workers.target.resume();
        workers.target.awaitRegistered(workers.scheduler.registry(), Duration.ofSeconds(10));
        Instant rejoinedAt = workers.scheduler.registry().find(workers.target.id()).orElseThrow().connectedAt();
        // every task outlived the pause, so each late result comes back once, for attempt 1,
        // which the failover replaced: stale, and nothing else was delivered by task.result
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> delivered().get("stale") - deliveredBefore.get("stale") >= TASKS);
        long staleAt = System.nanoTime();
        TaskView pinned = workers.ledger.submit(SleepTasks.pinned(0, workers.target.id()));
        workers.ledger.awaitAllFinal(Duration.ofSeconds(10));

        Map<String, TaskEvent> finals = workers.ledger.assertEveryTaskEndedOnce();
        assertThat(finals.get(pinned.taskId())).satisfies(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(workers.target.id());
        });
        finals.remove(pinned.taskId());
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(workers.backup.id());
            assertThat(event.attempt()).isEqualTo(2);
        });
        Map<String, Long> deliveredAfter = delivered();
        deliveredAfter.replaceAll((ack, count) -> count - deliveredBefore.get(ack));
        assertThat(deliveredAfter).as("results delivered by task.result after the resume, by acknowledgement")
                .containsExactlyInAnyOrderEntriesOf(Map.of("accepted", 0L, "duplicate", 0L, "stale", (long) TASKS));
        record(detection, departure, Duration.between(resumedAt, rejoinedAt), Duration.ofNanos(staleAt - resumedNanos));
    }

    private Map<String, Long> delivered() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String ack : List.of("accepted", "duplicate", "stale")) {
            counts.put(ack, workers.scheduler.resultsDelivered(ack));
        }
        return counts;
    }

    private static long silenceMs(InProcessScheduler.Departure departure) {
        return Long.parseLong(departure.left().reason().replaceAll("\\D", ""));
    }

    private void record(Duration detection, InProcessScheduler.Departure departure, Duration rejoin,
                        Duration staleBack) throws Exception {
        List<Long> redispatched = workers.ledger.events().stream()
                .filter(seen -> seen.event().status() == TaskStatus.DISPATCHED)
                .filter(seen -> workers.backup.id().equals(seen.event().workerId()))
                .map(seen -> seen.atNanos() - departure.atNanos())
                .sorted()
                .toList();
        assertThat(redispatched).hasSize(TASKS);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", TASKS);
        figures.put("heartbeatTimeoutMs", InProcessScheduler.HEARTBEAT_TIMEOUT.toMillis());
        figures.put("stopDetectionMs", detection.toMillis());
        figures.put("detectionToFirstRedispatchMs", Duration.ofNanos(redispatched.get(0)).toMillis());
        figures.put("detectionToAllRedispatchedMs", Duration.ofNanos(redispatched.get(TASKS - 1)).toMillis());
        figures.put("resumeToRejoinMs", rejoin.toMillis());
        figures.put("staleResults", workers.scheduler.resultsDelivered("stale"));
        figures.put("resumeToAllStaleMs", staleBack.toMillis());
        Figures.record("PausedWorkerTest", figures);
        System.out.println("[reliability] ledger: " + workers.ledger.summary());
    }
}
