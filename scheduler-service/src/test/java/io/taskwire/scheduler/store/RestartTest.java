package io.taskwire.scheduler.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.TaskClient;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * The scheduler on its packaged store, an H2 file database, stopped and started again on it: what
 * it accepted before is there after, and goes on from where it was.
 */
class RestartTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path data;

    private ConfigurableApplicationContext scheduler;
    private TaskClient client;
    private FakeWorkers workers;

    @AfterEach
    void stop() {
        stopScheduler();
    }

    @Test
    void acceptedTasksAndTheirIdempotencyKeysSurviveARestartAndRunAfterIt() {
        start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(client.submit(TaskSpec.of("echo", Json.mapper().createObjectNode().put("n", i))).taskId());
        }
        TaskSpec keyed = new TaskSpec("echo", Json.mapper().createObjectNode().put("order", 17), "order-17",
                null, null, null, null, null);
        String keyedId = client.submit(keyed).taskId();
        stopScheduler();

        start();
        for (String id : ids) {
            assertThat(client.get(id).status()).as("task %s after the restart", id).isEqualTo(TaskStatus.PENDING);
        }
        assertThat(client.submit(keyed).taskId()).as("the same key after a restart: the same task").isEqualTo(keyedId);
        workers.echo("w-restart-1", "echo");

        ids.add(keyedId);
        for (String id : ids) {
            TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
            assertThat(done.attempt()).isEqualTo(1);
        }
    }

    @Test
    void aFinishedTaskIsReadFromTheStoreAfterARestartWithItsOutput() {
        start();
        workers.echo("w-restart-2", "echo");
        TaskView submitted = client.submit(TaskSpec.of("echo", Json.mapper().createObjectNode().put("text", "kept")));
        TaskView done = client.awaitStatus(submitted.taskId(), TaskStatus.SUCCEEDED, WITHIN);
        stopScheduler();

        start();
        TaskView read = client.get(submitted.taskId());

        assertThat(read).isEqualTo(done);
        assertThat(read.output().get("text").asText()).isEqualTo("kept");
    }

    @Test
    void anAttemptRunningThroughARestartIsReattachedRunsOnceAndANotCurrentOneIsCancelled() {
        start();
        FakeWorker silent = workers.silent("w-restart-3", "echo");
        TaskView submitted = client.submit(TaskSpec.of("echo", Json.mapper().createObjectNode().put("text", "once")));
        TaskAssignment running = FakeWorkers.poll(silent.assignments, WITHIN);
        assertThat(running).as("the attempt sent before the restart").isNotNull();
        stopScheduler();

        start();
        assertThat(client.get(submitted.taskId()).status()).as("still on its worker after the restart")
                .isEqualTo(TaskStatus.DISPATCHED);
        RunningAttempt notCurrent = new RunningAttempt(submitted.taskId(), 7, "0:7");
        FakeWorker back = workers.start(FakeWorker.hello("w-restart-3", 4, "echo")
                .withRunning(List.of(RunningAttempt.of(running), notCurrent)), assignment -> Mono.never());

        TaskCancel cancel = FakeWorkers.poll(back.cancels, WITHIN);
        assertThat(cancel).isNotNull();
        assertThat(cancel.attempt()).isEqualTo(7);
        ResultAck ack = back.requester().route(Routes.TASK_RESULT)
                .data(FakeWorker.result(running, "w-restart-3", Outcome.SUCCEEDED))
                .retrieveMono(ResultAck.class).block(WITHIN);

        assertThat(ack.accepted()).isTrue();
        TaskView done = client.awaitStatus(submitted.taskId(), TaskStatus.SUCCEEDED, WITHIN);
        assertThat(done.attempt()).as("the first attempt's result, not a second run").isEqualTo(1);
        assertThat(back.assignments).as("nothing sent again").isEmpty();
        assertThat(back.cancels).isEmpty();
    }

    private void start() {
        scheduler = SchedulerApplication.builder().run(
                "--" + TestTokens.WORKER_PROPERTY,
                "--" + TestTokens.CLIENT_PROPERTY,
                "--server.port=0",
                "--spring.rsocket.server.port=0",
                "--management.server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("taskwire") + ";WRITE_DELAY=0",
                "--taskwire.scheduler.tasks.declared-types=echo");
        int port = Integer.parseInt(scheduler.getEnvironment().getProperty("local.rsocket.server.port"));
        client = TaskClient.connect(port);
        workers = new FakeWorkers(port);
    }

    private void stopScheduler() {
        if (scheduler == null) {
            return;
        }
        // the scheduler first: its workers stay connected until it stops, as in a restart
        scheduler.close();
        scheduler = null;
        client.close();
        workers.close();
    }
}
