package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rsocket.RSocketErrorException;
import io.taskwire.it.Clients;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Protocol;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.rsocket.RSocketRequester;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL stopped for 5 s under a steady load of submissions, then started again: a scheduler
 * process and two worker processes stay up; submissions during the outage are refused with
 * {@code UNAVAILABLE}; every acknowledged task succeeds; the scheduler takes submissions again by
 * itself once the database is back. (Its lease runs out during the outage: it steps down, and once
 * the database answers it starts again in the same process and takes the lead back; the client
 * connects again.)
 */
class PostgresOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final Closer closer = new Closer();
    private PostgresServer postgres;
    /** The client's connection; a new one replaces it when it fails, as a client library would. */
    private final AtomicReference<RSocketRequester> client = new AtomicReference<>();
    private Disposable load;

    @AfterEach
    void stopEverything() throws Exception {
        if (load != null) {
            load.dispose();
        }
        if (client.get() != null) {
            client.get().dispose();
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
        client.set(Clients.connect("127.0.0.1", ports[0], "outage-test"));

        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ErrorCode> refusals = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
        AtomicInteger acceptedSinceRestart = new AtomicInteger();
        load = Flux.interval(Duration.ofMillis(20))
                .onBackpressureDrop()
                .flatMap(tick -> {
                    RSocketRequester used = client.get();
                    return used.route(Routes.TASK_SUBMIT).data(SleepTasks.sleep(10)).retrieveMono(TaskView.class)
                            .timeout(Duration.ofSeconds(5))
                            .doOnNext(view -> {
                                acknowledged.add(view.taskId());
                                acceptedSinceRestart.incrementAndGet();
                            })
                            .onErrorResume(failure -> {
                                if (failure instanceof RSocketErrorException) {
                                    refusals.add(ProtocolErrors.fromPeer(failure).code());
                                } else {
                                    // no answer: the connection closed while the scheduler started again (below)
                                    unanswered.add(failure.toString());
                                    reconnect(used, ports[0]);
                                }
                                return Mono.empty();
                            });
                }, 16)
                .subscribe();
        await().atMost(WITHIN).until(() -> acknowledged.size() >= 100);

        postgres.stop();
        Instant stopped = Instant.now();
        await().atMost(WITHIN).until(() -> !refusals.isEmpty());
        await().until(() -> Duration.between(stopped, Instant.now()).compareTo(OUTAGE) >= 0);
        postgres.restart();
        acceptedSinceRestart.set(0);

        await().atMost(WITHIN).untilAsserted(() -> assertThat(acceptedSinceRestart.get())
                .as("submissions accepted again once the database is back; refused so far: %s, unanswered: %s",
                        refusals.size(), unanswered.size() + " " + unanswered.stream().distinct().toList())
                .isGreaterThanOrEqualTo(100));
        load.dispose();

        assertThat(refusals).as("what the outage's submissions got").isNotEmpty().containsOnly(ErrorCode.UNAVAILABLE);
        List<String> ids = List.copyOf(acknowledged);
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(ids).allSatisfy(id -> assertThat(status(id)).as("task %s", id).isEqualTo(TaskStatus.SUCCEEDED)));
    }

    /**
     * Replaces a connection that failed with a new one, which connects when first used: Spring's
     * requester answers every later request with the error of a connection attempt that failed.
     */
    private void reconnect(RSocketRequester failed, int port) {
        if (client.compareAndSet(failed, Clients.requester("127.0.0.1", port,
                new ClientHello(Protocol.VERSION, "outage-test")))) {
            failed.dispose();
        }
    }

    private TaskStatus status(String taskId) {
        return client.get().route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(Duration.ofSeconds(10)).status();
    }
}
