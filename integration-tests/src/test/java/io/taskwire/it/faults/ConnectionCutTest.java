package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network between a busy worker and the scheduler breaks for 3 s in the middle of a run: the
 * worker comes back once it can, and every task still ends SUCCEEDED, recorded once.
 */
class ConnectionCutTest {

    private static final int SLOTS = 10;
    private static final int TASKS = 30;
    private static final long TASK_MS = 1000;
    private static final Duration CUT = Duration.ofSeconds(3);

    private WorkerBehindProxy proxied;

    @BeforeEach
    void start() throws Exception {
        proxied = WorkerBehindProxy.start("cut-worker", SLOTS, List.of(), List.of());
    }

    @AfterEach
    void stopEverything() throws Exception {
        proxied.close();
    }

    @Test
    void workerCutOffForThreeSecondsReconnectsAndEveryTaskSucceedsOnce() throws Exception {
        proxied.ledger.submitAll(SleepTasks.sleeps(TASKS, TASK_MS));
        // mid-run: the first wave is done and the second is running
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> proxied.ledger.finished().size() >= SLOTS && proxied.scheduler.inFlight(proxied.worker.id()) == SLOTS);
        int doneBeforeCut = proxied.ledger.finished().size();
        assertThat(proxied.network.liveConnections()).as("the worker's connection runs through the proxy").isEqualTo(1);

        long cutAt = System.nanoTime();
        proxied.network.cutFor(CUT);
        InProcessScheduler.Departure departure = proxied.scheduler.awaitDeparture(proxied.worker.id(), Duration.ofSeconds(2));
        assertThat(proxied.network.liveConnections()).isZero();
        await().atMost(CUT.plusSeconds(2)).until(() -> !proxied.network.isCut());
        Instant restoredAt = proxied.network.restoredAt();
        proxied.worker.awaitRegistered(proxied.scheduler.registry(), Duration.ofSeconds(5));
        Instant rejoinedAt = proxied.scheduler.registry().find(proxied.worker.id()).orElseThrow().connectedAt();

        assertThat(departure.left().reason()).isEqualTo("connection closed");
        assertThat(rejoinedAt).as("the proxied.worker registered again only once the proxied.network was back").isAfterOrEqualTo(
                restoredAt.minusMillis(1));
        proxied.ledger.awaitAllFinal(Duration.ofSeconds(20));
        Map<String, TaskEvent> finals = proxied.ledger.assertEveryTaskEndedOnce();
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(proxied.worker.id());
        });

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", TASKS);
        figures.put("doneBeforeCut", doneBeforeCut);
        figures.put("cutMs", CUT.toMillis());
        figures.put("cutDetectionMs", departure.since(cutAt).toMillis());
        figures.put("restoreToRejoinMs", Duration.between(restoredAt, rejoinedAt).toMillis());
        figures.put("tasksRunTwice", finals.values().stream().filter(event -> event.attempt() > 1).count());
        Figures.record("ConnectionCutTest", figures);
        System.out.println("[reliability] ledger: " + proxied.ledger.summary());
    }
}
