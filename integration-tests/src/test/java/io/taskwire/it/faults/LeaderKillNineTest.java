package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Clients;
import io.taskwire.it.Tokens;
import io.taskwire.messages.Json;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * {@code kill -9} of the leading scheduler process, with a standby process on the same PostgreSQL
 * and two worker processes given both addresses, with 1,000 tasks queued, running and finished:
 * the standby takes the lead once the lease expires, every task the leader acknowledged succeeds,
 * and the attempts running through the kill finish as their first attempt, re-attached by their
 * workers on the new leader, without running again.
 */
class LeaderKillNineTest {

    private static final int RUNNING_THROUGH = 8;
    private static final int SHORT = 992;
    /** Longer than the kill, the lease and the grace period (the heartbeat timeout) together. */
    private static final long LONG_MS = 20_000;
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final ParameterizedTypeReference<List<TaskView>> VIEWS = new ParameterizedTypeReference<>() { };

    private final Closer closer = new Closer();
    private final HttpClient http = HttpClient.newHttpClient();
    private RSocketRequester client;

    @AfterEach
    void stopEverything() throws Exception {
        if (client != null) {
            client.dispose();
        }
        closer.close();
    }

    @Test
    void theStandbyTakesOverEveryAcknowledgedTaskSucceedsAndTheRunningOnesDoNotRunAgain() throws Exception {
        String[] store = PostgresServer.shared().newDatabase().schedulerArguments().toArray(String[]::new);
        int[] leaderPorts = SchedulerProcess.freePorts();
        int[] standbyPorts = SchedulerProcess.freePorts();
        SchedulerProcess leader = closer.add(SchedulerProcess.start("leader-kill-a", leaderPorts, with(store, leaderPorts)));
        awaitReady(leader);
        SchedulerProcess standby = closer.add(SchedulerProcess.start("leader-kill-b", standbyPorts, with(store, standbyPorts)));
        String addresses = "--taskwire.worker.scheduler.addresses=127.0.0.1:" + leaderPorts[0] + ",127.0.0.1:" + standbyPorts[0];
        closer.add(WorkerProcess.start("leader-kill-w1", 8, leaderPorts[0], addresses));
        closer.add(WorkerProcess.start("leader-kill-w2", 8, leaderPorts[0], addresses));
        client = Clients.connect("127.0.0.1", leaderPorts[0], "leader-kill-test");
        leader.awaitWorkersOnline(2);
        assertThat(standby.readiness()).as("the second scheduler is a standby").isEqualTo(503);

        List<TaskView> running = submit(SleepTasks.sleeps(RUNNING_THROUGH, LONG_MS));
        await().atMost(WITHIN).until(() -> running.stream().allMatch(view -> get(view.taskId()).status() == TaskStatus.DISPATCHED));
        List<TaskView> acknowledged = new ArrayList<>(running);
        acknowledged.addAll(submit(SleepTasks.sleeps(SHORT, 20)));
        await().atMost(WITHIN).until(() -> leader.succeeded() >= 300);

        long killedAt = System.nanoTime();
        leader.kill9();
        client.dispose();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> standby.readiness() == 200);
        long tookOverMs = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> dispatched(standby) > 0);
        long dispatchingMs = (System.nanoTime() - killedAt) / 1_000_000;
        client = Clients.connect("127.0.0.1", standbyPorts[0], "leader-kill-test-again");

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> standby.succeeded() == acknowledged.size());
        Map<String, TaskView> after = standby.tasks().stream().collect(Collectors.toMap(TaskView::taskId, Function.identity()));
        assertThat(after.keySet()).as("every acknowledged task, on the new leader")
                .containsAll(acknowledged.stream().map(TaskView::taskId).toList());
        assertThat(acknowledged).allSatisfy(view ->
                assertThat(after.get(view.taskId()).status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(running).allSatisfy(view -> assertThat(after.get(view.taskId()).attempt())
                .as("task %s ran through the kill: its first attempt is the one recorded", view.taskId()).isEqualTo(1));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("kill_to_standby_ready_ms", tookOverMs);
        figures.put("kill_to_first_dispatch_ms", dispatchingMs);
        figures.put("tasks", acknowledged.size());
        figures.put("running_through_on_attempt_1", running.size());
        Figures.record("leader-kill-nine", figures);
        assertThat(tookOverMs).as("a lease of 2 s, looked at every 500 ms").isLessThan(10_000);
    }

    /** The store, and the scheduler's advertised address: its RSocket port on this machine. */
    private static String[] with(String[] store, int[] ports) {
        List<String> args = new ArrayList<>(List.of(store));
        args.add("--taskwire.scheduler.advertised-address=127.0.0.1:" + ports[0]);
        return args.toArray(String[]::new);
    }

    private void awaitReady(SchedulerProcess scheduler) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> scheduler.readiness() == 200);
    }

    /** @return the attempts the scheduler has dispatched, from its {@code taskwire.tasks.dispatched} counter */
    private double dispatched(SchedulerProcess scheduler) throws Exception {
        HttpResponse<String> metric = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + scheduler.managementPort + "/actuator/metrics/taskwire.tasks.dispatched"))
                .header("Authorization", "Bearer " + Tokens.CLIENT).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (metric.statusCode() == 404) {
            return 0;
        }
        return Json.mapper().readTree(metric.body()).path("measurements").path(0).path("value").asDouble();
    }

    private List<TaskView> submit(List<TaskSpec> specs) {
        return client.route(Routes.TASK_SUBMIT_BATCH).data(specs).retrieveMono(VIEWS).block(Duration.ofSeconds(30));
    }

    private TaskView get(String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(Duration.ofSeconds(10));
    }
}
