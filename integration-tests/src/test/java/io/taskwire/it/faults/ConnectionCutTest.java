package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    private final Closer closer = new Closer();
    private InProcessScheduler scheduler;
    private TcpProxy network;
    private WorkerProcess worker;
    private Ledger ledger;

    @BeforeEach
    void startWorker() throws Exception {
        scheduler = closer.add(InProcessScheduler.start());
        network = closer.add(TcpProxy.to(scheduler.rsocketPort()));
        worker = closer.add(WorkerProcess.start("cut-worker", SLOTS, network.port()));
        worker.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
        ledger = closer.add(Ledger.open(scheduler.client("cut"), SleepTasks.TYPE));
    }

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void workerCutOffForThreeSecondsReconnectsAndEveryTaskSucceedsOnce() throws Exception {
        ledger.submitAll(SleepTasks.sleeps(TASKS, TASK_MS));
        // mid-run: the first wave is done and the second is running
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> ledger.finished().size() >= SLOTS && scheduler.inFlight(worker.id()) == SLOTS);
        int doneBeforeCut = ledger.finished().size();
        assertThat(network.liveConnections()).as("the worker's connection runs through the proxy").isEqualTo(1);

        long cutAt = System.nanoTime();
        network.cutFor(CUT);
        InProcessScheduler.Departure departure = scheduler.awaitDeparture(worker.id(), Duration.ofSeconds(2));
        assertThat(network.liveConnections()).isZero();
        await().atMost(CUT.plusSeconds(2)).until(() -> !network.isCut());
        Instant restoredAt = network.restoredAt();
        worker.awaitRegistered(scheduler.registry(), Duration.ofSeconds(5));
        Instant rejoinedAt = scheduler.registry().find(worker.id()).orElseThrow().connectedAt();

        assertThat(departure.left().reason()).isEqualTo("connection closed");
        assertThat(rejoinedAt).as("the worker registered again only once the network was back").isAfterOrEqualTo(
                restoredAt.minusMillis(1));
        ledger.awaitAllFinal(Duration.ofSeconds(20));
        Map<String, TaskEvent> finals = ledger.assertEveryTaskEndedOnce();
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.workerId()).isEqualTo(worker.id());
        });

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", TASKS);
        figures.put("doneBeforeCut", doneBeforeCut);
        figures.put("cutMs", CUT.toMillis());
        figures.put("cutDetectionMs", departure.since(cutAt).toMillis());
        figures.put("restoreToRejoinMs", Duration.between(restoredAt, rejoinedAt).toMillis());
        figures.put("tasksRunTwice", finals.values().stream().filter(event -> event.attempt() > 1).count());
        Figures.record("ConnectionCutTest", figures);
        System.out.println("[reliability] ledger: " + ledger.summary());
    }
}
