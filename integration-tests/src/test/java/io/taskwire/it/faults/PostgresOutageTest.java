package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Clients;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import io.taskwire.transport.ProtocolErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.rsocket.RSocketRequester;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * PostgreSQL stopped for 5 s under a steady load of submissions, then started again: a scheduler
 * process and two worker processes stay up; submissions during the outage are refused with
 * {@code UNAVAILABLE}; every acknowledged task succeeds; the scheduler takes submissions again by
 * itself once the database is back.
 */
class PostgresOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final Closer closer = new Closer();
    private PostgresServer postgres;
    private RSocketRequester client;
    private Disposable load;

    @AfterEach
    void stopEverything() throws Exception {
        if (load != null) {
            load.dispose();
        }
        if (client != null) {
            client.dispose();
        }
        closer.close();
    }

    @Test
    void submissionsDuringTheOutageAreRefusedAndEveryAcknowledgedTaskSucceeds() throws Exception {
        Assumptions.assumeTrue(PostgresServer.canStartOwn(),
                "needs Debian's postgresql package, to stop and start a server of its own");
        postgres = PostgresServer.startOwn();
        List<String> settings = new ArrayList<>(postgres.newDatabase().schedulerArguments());
        settings.add("--spring.datasource.hikari.connection-timeout=1000");
        int[] ports = SchedulerProcess.freePorts();
        closer.add(SchedulerProcess.start("postgres-outage", ports, settings.toArray(String[]::new)));
        closer.add(WorkerProcess.start("outage-a", 8, ports[0]));
        closer.add(WorkerProcess.start("outage-b", 8, ports[0]));
        client = Clients.connect("127.0.0.1", ports[0], "outage-test");

        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ErrorCode> refusals = new ConcurrentLinkedQueue<>();
        AtomicInteger acceptedSinceRestart = new AtomicInteger();
        load = Flux.interval(Duration.ofMillis(20))
                .onBackpressureDrop()
                .flatMap(tick -> client.route(Routes.TASK_SUBMIT).data(SleepTasks.sleep(10)).retrieveMono(TaskView.class)
                        .doOnNext(view -> {
                            acknowledged.add(view.taskId());
                            acceptedSinceRestart.incrementAndGet();
                        })
                        .onErrorResume(failure -> {
                            refusals.add(ProtocolErrors.fromPeer(failure).code());
                            return reactor.core.publisher.Mono.empty();
                        }), 16)
                .subscribe();
        await().atMost(WITHIN).until(() -> acknowledged.size() >= 100);

        postgres.stop();
        Instant stopped = Instant.now();
        await().atMost(WITHIN).until(() -> !refusals.isEmpty());
        await().until(() -> Duration.between(stopped, Instant.now()).compareTo(OUTAGE) >= 0);
        postgres.restart();
        acceptedSinceRestart.set(0);

        await("submissions accepted again once the database is back").atMost(WITHIN)
                .until(() -> acceptedSinceRestart.get() >= 100);
        load.dispose();

        assertThat(refusals).as("what the outage's submissions got").isNotEmpty().containsOnly(ErrorCode.UNAVAILABLE);
        List<String> ids = List.copyOf(acknowledged);
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(ids).allSatisfy(id -> assertThat(status(id)).as("task %s", id).isEqualTo(TaskStatus.SUCCEEDED)));
    }

    private TaskStatus status(String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(Duration.ofSeconds(10)).status();
    }
}
