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
 * With RSocket resumption on, the same 3 s cut as {@link ConnectionCutTest} causes no failover at
 * all: the session resumes where it was, the worker never leaves the registry, and every task ends
 * on its first attempt. The heartbeat timeout (6 s, the default) is longer than the cut.
 */
class ResumedConnectionCutTest {

    private static final int SLOTS = 10;
    private static final int TASKS = 30;
    private static final long TASK_MS = 1000;
    private static final Duration CUT = Duration.ofSeconds(3);
    private static final String RESUME = "--taskwire.transport.resume.enabled=true";

    private WorkerBehindProxy proxied;

    @BeforeEach
    void start() throws Exception {
        proxied = WorkerBehindProxy.start("resume-worker", SLOTS,
                List.of(RESUME, "--taskwire.scheduler.heartbeat.interval=1s", "--taskwire.scheduler.heartbeat.timeout=6s"),
                List.of(RESUME));
    }

    @AfterEach
    void stopEverything() throws Exception {
        proxied.close();
    }

    @Test
    void shortCutWithResumptionCausesNoFailover() throws Exception {
        proxied.ledger.submitAll(SleepTasks.sleeps(TASKS, TASK_MS));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> proxied.ledger.finished().size() >= SLOTS && proxied.scheduler.inFlight(proxied.worker.id()) == SLOTS);
        var session = proxied.scheduler.registry().find(proxied.worker.id()).orElseThrow();

        proxied.network.cutFor(CUT);
        await().atMost(CUT.plusSeconds(2)).until(() -> !proxied.network.isCut());

        proxied.ledger.awaitAllFinal(Duration.ofSeconds(30));
        Map<String, TaskEvent> finals = proxied.ledger.assertEveryTaskEndedOnce();
        assertThat(finals).hasSize(TASKS);
        assertThat(finals.values()).allSatisfy(event -> {
            assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(event.attempt()).as("no task failed over").isEqualTo(1);
        });
        assertThat(proxied.scheduler.registry().find(proxied.worker.id())).as("the same session throughout").containsSame(session);
        assertThat(proxied.network.liveConnections()).as("the proxied.worker resumed through the proxy").isEqualTo(1);
        assertThat(proxied.scheduler.departures()).as("workers that left").isEmpty();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", TASKS);
        figures.put("cutMs", CUT.toMillis());
        figures.put("failovers", 0);
        Figures.record("ResumedConnectionCutTest", figures);
    }
}
