package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Clients;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import io.taskwire.postgres.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * {@code kill -9} of a real scheduler process, on the embedded H2 store and on PostgreSQL, with
 * 1,000 tasks queued, running and finished, and two worker processes that stay up: after a restart
 * on the same store, every task the scheduler acknowledged is there and succeeds, and the attempts
 * running through the kill finish as the first attempt, re-attached by their workers, without
 * running again.
 */
class SchedulerKillNineTest {

    private static final int RUNNING_THROUGH = 8;
    private static final int SHORT = 992;
    /** Longer than the kill, the restart and the grace period (the heartbeat timeout) together. */
    private static final long LONG_MS = 20_000;
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final ParameterizedTypeReference<List<TaskView>> VIEWS = new ParameterizedTypeReference<>() { };

    @TempDir
    Path data;

    private final Closer closer = new Closer();
    private RSocketRequester client;

    @AfterEach
    void stopEverything() throws Exception {
        if (client != null) {
            client.dispose();
        }
        closer.close();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void afterAKillNineEveryAcknowledgedTaskSucceedsAndTheRunningOnesDoNotRunAgain(String database) throws Exception {
        int[] ports = SchedulerProcess.freePorts();
        String[] store = store(database);
        String name = "kill-nine-" + database.toLowerCase(java.util.Locale.ROOT);
        SchedulerProcess scheduler = closer.add(SchedulerProcess.start(name + "-1", ports, store));
        closer.add(WorkerProcess.start(name + "-a", 8, ports[0]));
        closer.add(WorkerProcess.start(name + "-b", 8, ports[0]));
        client = Clients.connect("127.0.0.1", ports[0], "kill-nine-test");
        scheduler.awaitWorkersOnline(2);

        List<TaskView> running = submit(SleepTasks.sleeps(RUNNING_THROUGH, LONG_MS));
        await().atMost(WITHIN).until(() -> running.stream().allMatch(view -> get(view.taskId()).status() == TaskStatus.DISPATCHED));
        List<TaskView> acknowledged = new ArrayList<>(running);
        acknowledged.addAll(submit(SleepTasks.sleeps(SHORT, 20)));
        SchedulerProcess first = scheduler;
        await().atMost(WITHIN).until(() -> first.succeeded() >= 300);

        scheduler.kill9();
        client.dispose();
        scheduler = closer.add(SchedulerProcess.start(name + "-2", ports, store));
        client = Clients.connect("127.0.0.1", ports[0], "kill-nine-test-again");

        SchedulerProcess second = scheduler;
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> second.succeeded() == acknowledged.size());
        Map<String, TaskView> after = second.tasks().stream().collect(Collectors.toMap(TaskView::taskId, Function.identity()));
        assertThat(after.keySet()).as("every acknowledged task, after the restart")
                .containsAll(acknowledged.stream().map(TaskView::taskId).toList());
        assertThat(acknowledged).allSatisfy(view ->
                assertThat(after.get(view.taskId()).status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(running).allSatisfy(view -> assertThat(after.get(view.taskId()).attempt())
                .as("task %s ran through the kill: its first attempt is the one recorded", view.taskId()).isEqualTo(1));
    }

    /** @return the scheduler's settings for a store of that kind, empty */
    private String[] store(String database) {
        if (database.equals("H2")) {
            return new String[] {"--spring.datasource.url=jdbc:h2:file:" + data.resolve("taskwire") + ";WRITE_DELAY=0"};
        }
        return PostgresServer.shared().newDatabase().schedulerArguments().toArray(String[]::new);
    }

    private List<TaskView> submit(List<TaskSpec> specs) {
        return client.route(Routes.TASK_SUBMIT_BATCH).data(specs).retrieveMono(VIEWS).block(Duration.ofSeconds(30));
    }

    private TaskView get(String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(Duration.ofSeconds(10));
    }
}
