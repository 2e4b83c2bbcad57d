package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Clients;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.postgres.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * A leader that loses the lead without dying, with a standby process on the same PostgreSQL and two
 * worker processes given both addresses, and tasks queued, running and finished: paused past its
 * lease (SIGSTOP, then SIGCONT), or cut from PostgreSQL by a TCP proxy while it keeps its workers.
 * Either way the standby takes the lead, the old leader steps down and serves as a standby in the
 * same process, every task it acknowledged succeeds once, and the attempts running through finish
 * as their first attempt. A watch on the old leader ends when it steps down; watched again at the
 * new leader, the task's final state comes.
 */
class LeaderCutOffTest {

    private static final int RUNNING_THROUGH = 8;
    private static final int SHORT = 400;
    /** Longer than the fault, the lease and the grace period (the heartbeat timeout) together. */
    private static final long LONG_MS = 15_000;
    /** The default lease. */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofSeconds(4);
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final Pattern PORT = Pattern.compile("//[^/:]+:(\\d+)/");
    private static final ParameterizedTypeReference<List<TaskView>> VIEWS = new ParameterizedTypeReference<>() { };

    private final Closer closer = new Closer();
    private final List<RSocketRequester> clients = new ArrayList<>();
    private SchedulerProcess leader;
    private SchedulerProcess standby;
    private List<TaskView> acknowledged;
    private List<TaskView> running;
    /** A client of the first leader. */
    private RSocketRequester leaderClient;

    @AfterEach
    void stopEverything() throws Exception {
        clients.forEach(RSocketRequester::dispose);
        closer.close();
    }

    @Test
    void aLeaderPausedPastItsLeaseIsTakenOverItsLateWritesChangeNothingAndItServesAsAStandby() throws Exception {
        String[] store = PostgresServer.shared().newDatabase().schedulerArguments().toArray(String[]::new);
        startCluster("leader-paused", store, store);
        RSocketRequester late = client(leader);

        long pausedAt = leader.pause();
        // sent to the paused leader: it reads it only once it runs again, when another scheduler leads
        CompletableFuture<TaskView> lateSubmission = late.route(Routes.TASK_SUBMIT)
                .data(SleepTasks.sleep(20)).retrieveMono(TaskView.class).toFuture();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> standby.readiness() == 200);
        long tookOverMs = msSince(pausedAt);
        await().atMost(WITHIN).until(() -> System.nanoTime() - pausedAt >= PAUSE.toNanos());
        long resumedAt = System.nanoTime();
        leader.resume();

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> "STANDBY".equals(leader.role()));
        long standbyAgainMs = msSince(resumedAt);
        assertThat(leader.isAlive()).as("it steps down in the same process").isTrue();
        assertThat(leader.readiness()).isEqualTo(503);
        assertThat(lateSubmission).as("the paused leader's late write: refused, not acknowledged")
                .failsWithin(WITHIN);

        Map<String, TaskView> after = awaitEverySucceededOn(standby);
        assertThat(after).as("every task the leader acknowledged, nothing its late write would have added")
                .hasSize(acknowledged.size());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pause_ms", PAUSE.toMillis());
        figures.put("pause_to_standby_ready_ms", tookOverMs);
        figures.put("resume_to_old_leader_standby_ms", standbyAgainMs);
        figures.put("tasks", acknowledged.size());
        figures.put("running_through_on_attempt_1", running.size());
        Figures.record("leader-paused", figures);
    }

    @Test
    void aLeaderCutFromTheStoreStepsDownWithinOneLeaseAndTheStandbyTakesOver() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase();
        String[] store = database.schedulerArguments().toArray(String[]::new);
        TcpProxy proxy = closer.add(TcpProxy.to(port(database.jdbcUrl())));
        String[] proxied = store.clone();
        proxied[0] = store[0].replaceFirst(":" + port(database.jdbcUrl()) + "/", ":" + proxy.port() + "/");
        startCluster("leader-cut", proxied, store);

        String watchedTask = running.get(0).taskId();
        CompletableFuture<List<TaskEvent>> watchOnOldLeader = leaderClient.route(Routes.TASK_WATCH)
                .data(new WatchFilter(watchedTask, null)).retrieveFlux(TaskEvent.class).collectList().toFuture();
        long cutAt = System.nanoTime();
        proxy.cut();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> !"LEADER".equals(leader.role()));
        long steppedDownMs = msSince(cutAt);
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> standby.readiness() == 200);
        long tookOverMs = msSince(cutAt);
        standby.awaitWorkersOnline(2);
        long workersMovedMs = msSince(cutAt);

        assertThat(watchOnOldLeader).as("a watch on the leader that stepped down ends, so that its client watches again")
                .failsWithin(WITHIN).withThrowableThat().withMessageContaining("UNAVAILABLE").withMessageContaining("lost the lead");
        List<TaskEvent> watchedAgain = client(standby).route(Routes.TASK_WATCH).data(new WatchFilter(watchedTask, null))
                .retrieveFlux(TaskEvent.class).collectList().block(WITHIN);
        assertThat(watchedAgain).as("watched again at the new leader: the current state first, then to the final one")
                .isNotEmpty().last().satisfies(last -> assertThat(last.status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(watchedAgain.get(0).status()).isIn(TaskStatus.DISPATCHED, TaskStatus.SUCCEEDED);

        awaitEverySucceededOn(standby);
        assertThat(steppedDownMs).as("steps down within one lease of %s, looked at every 100 ms", LEASE)
                .isLessThan(LEASE.toMillis() + 500);

        proxy.restore();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> "STANDBY".equals(leader.role()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("cut_to_step_down_ms", steppedDownMs);
        figures.put("cut_to_standby_ready_ms", tookOverMs);
        figures.put("cut_to_workers_on_new_leader_ms", workersMovedMs);
        figures.put("tasks", acknowledged.size());
        figures.put("running_through_on_attempt_1", running.size());
        Figures.record("leader-cut-from-store", figures);
    }

    /**
     * A leader on the first store arguments, a standby on the second, two workers given both
     * addresses, the leader first; then tasks that run through what follows, and short ones, some
     * of them finished.
     */
    private void startCluster(String name, String[] leaderStore, String[] standbyStore) throws Exception {
        int[] leaderPorts = SchedulerProcess.freePorts();
        int[] standbyPorts = SchedulerProcess.freePorts();
        leader = closer.add(SchedulerProcess.start(name + "-a", leaderPorts, with(leaderStore, leaderPorts)));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> leader.readiness() == 200);
        standby = closer.add(SchedulerProcess.start(name + "-b", standbyPorts, with(standbyStore, standbyPorts)));
        String addresses = "--taskwire.worker.scheduler.addresses=127.0.0.1:" + leaderPorts[0] + ",127.0.0.1:"
                + standbyPorts[0];
        closer.add(WorkerProcess.start(name + "-w1", 8, leaderPorts[0], addresses));
        closer.add(WorkerProcess.start(name + "-w2", 8, leaderPorts[0], addresses));
        leader.awaitWorkersOnline(2);
        assertThat(standby.readiness()).as("the second scheduler is a standby").isEqualTo(503);

        RSocketRequester client = client(leader);
        leaderClient = client;
        running = submit(client, SleepTasks.sleeps(RUNNING_THROUGH, LONG_MS));
        await().atMost(WITHIN).until(() -> running.stream()
                .allMatch(view -> get(client, view.taskId()).status() == TaskStatus.DISPATCHED));
        acknowledged = new ArrayList<>(running);
        acknowledged.addAll(submit(client, SleepTasks.sleeps(SHORT, 20)));
        await().atMost(WITHIN).until(() -> leader.succeeded() >= 100);
    }

    /** Waits until every acknowledged task succeeded on the new leader; those running through did on attempt 1. */
    private Map<String, TaskView> awaitEverySucceededOn(SchedulerProcess scheduler) throws Exception {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(500))
                .until(() -> scheduler.succeeded() == acknowledged.size());
        Map<String, TaskView> after = scheduler.tasks().stream()
                .collect(Collectors.toMap(TaskView::taskId, Function.identity()));
        assertThat(acknowledged).allSatisfy(view ->
                assertThat(after.get(view.taskId()).status()).as("task %s", view.taskId()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(running).allSatisfy(view -> assertThat(after.get(view.taskId()).attempt())
                .as("task %s ran through: its first attempt is the one recorded", view.taskId()).isEqualTo(1));
        return after;
    }

    /** The store, and the scheduler's advertised address: its RSocket port on this machine. */
    private static String[] with(String[] store, int[] ports) {
        List<String> args = new ArrayList<>(List.of(store));
        args.add("--taskwire.scheduler.advertised-address=127.0.0.1:" + ports[0]);
        return args.toArray(String[]::new);
    }

    private RSocketRequester client(SchedulerProcess scheduler) {
        RSocketRequester client = Clients.connect("127.0.0.1", scheduler.rsocketPort, "leader-cut-off-test");
        clients.add(client);
        return client;
    }

    private static List<TaskView> submit(RSocketRequester client, List<TaskSpec> specs) {
        return client.route(Routes.TASK_SUBMIT_BATCH).data(specs).retrieveMono(VIEWS).block(Duration.ofSeconds(30));
    }

    private static TaskView get(RSocketRequester client, String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(Duration.ofSeconds(10));
    }

    private static int port(String jdbcUrl) {
        Matcher port = PORT.matcher(jdbcUrl);
        assertThat(port.find()).as("a port in %s", jdbcUrl).isTrue();
        return Integer.parseInt(port.group(1));
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
