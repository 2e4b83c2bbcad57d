package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.it.Tokens;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * {@code taskwire-client} given both schedulers' addresses, with a {@code sendSync} and a watch in
 * flight when the leader gets {@code kill -9}: the standby takes over, and the call still returns
 * the task's final view, and the watch still ends with it, neither having run the task twice.
 */
class ClientThroughTakeoverTest {

    /** Longer than the lease and the grace period together, so the task runs through the takeover. */
    private static final long TASK_MS = 8_000;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void aSyncCallAndAWatchInFlightSurviveAKillNineOfTheLeader() throws Exception {
        String[] store = PostgresServer.shared().newDatabase().schedulerArguments().toArray(String[]::new);
        int[] leaderPorts = SchedulerProcess.freePorts();
        int[] standbyPorts = SchedulerProcess.freePorts();
        SchedulerProcess leader = closer.add(SchedulerProcess.start("client-takeover-a", leaderPorts, with(store, leaderPorts)));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> leader.readiness() == 200);
        SchedulerProcess standby = closer.add(SchedulerProcess.start("client-takeover-b", standbyPorts, with(store, standbyPorts)));
        closer.add(WorkerProcess.start("client-takeover-w1", 4, leaderPorts[0],
                "--taskwire.worker.scheduler.addresses=127.0.0.1:" + leaderPorts[0] + ",127.0.0.1:" + standbyPorts[0]));
        leader.awaitWorkersOnline(1);
        // the standby first: the client finds the leader by itself
        TaskwireClient client = TaskwireClient.builder()
                .addresses("127.0.0.1:" + standbyPorts[0], "127.0.0.1:" + leaderPorts[0])
                .token(Tokens.CLIENT).clientId("client-through-takeover").build();
        closer.add(client::close);

        CompletableFuture<TaskView> sync = CompletableFuture.supplyAsync(() ->
                client.sendSync(TaskRequest.of("sleep", Map.of("ms", TASK_MS)).idempotencyKey("through-takeover"), WITHIN));
        String taskId = await().atMost(WITHIN).until(() -> client.submit(TaskRequest.of("sleep", Map.of("ms", TASK_MS))
                .idempotencyKey("through-takeover")), view -> view.status() == TaskStatus.DISPATCHED).taskId();
        List<TaskEvent> watched = new CopyOnWriteArrayList<>();
        Disposable watch = client.watch(taskId).subscribe(watched::add);
        closer.add(watch::dispose);
        await().atMost(WITHIN).until(() -> !watched.isEmpty());

        long killedAt = System.nanoTime();
        leader.kill9();

        TaskView finished = sync.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        long returnedMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(finished.taskId()).isEqualTo(taskId);
        assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(finished.attempt()).as("re-attached by its worker at the new leader, not run again").isEqualTo(1);
        assertThat(client.connectedTo()).hasValueSatisfying(address -> assertThat(address.port()).isEqualTo(standbyPorts[0]));
        await().atMost(Duration.ofSeconds(10)).until(() -> watched.stream().anyMatch(event -> event.status().isFinal()));
        assertThat(watched.stream().map(TaskEvent::status).toList())
                .as("each state once, through the takeover").containsExactly(TaskStatus.DISPATCHED, TaskStatus.SUCCEEDED);
        assertThat(client.sendSync(TaskRequest.of("echo", "after"), WITHIN).status()).isEqualTo(TaskStatus.SUCCEEDED);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("task_ms", TASK_MS);
        figures.put("kill_to_sync_call_returned_ms", returnedMs);
        Figures.record("client-through-takeover", figures);
    }

    /** The store, and the scheduler's advertised address: its RSocket port on this machine. */
    private static String[] with(String[] store, int[] ports) {
        List<String> args = new ArrayList<>(List.of(store));
        args.add("--taskwire.scheduler.advertised-address=127.0.0.1:" + ports[0]);
        return args.toArray(String[]::new);
    }
}
