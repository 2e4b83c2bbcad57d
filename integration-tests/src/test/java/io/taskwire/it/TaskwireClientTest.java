package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskwire.client.TaskCallback;
import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.client.error.ForbiddenException;
import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.client.error.NotFoundException;
import io.taskwire.client.error.PayloadTooLargeException;
import io.taskwire.client.error.TaskTimeoutException;
import io.taskwire.client.error.UnauthorizedException;
import io.taskwire.client.error.UnknownTaskTypeException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * {@code taskwire-client} against a real scheduler and two real workers over TCP: each interaction
 * mode, watches, and each kind of refusal as its exception type.
 */
class TaskwireClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static LocalCluster cluster;
    private static TaskwireClient client;

    /** A payload and output of the caller's own type, written and read with the client's mapper. */
    record Greeting(String text, int times) {
    }

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start();
        cluster.startWorker("client-w1");
        cluster.startWorker("client-w2");
        client = clientWith(Tokens.CLIENT);
        cluster.awaitLiveWorkers(2, WAIT);
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }

    private static TaskwireClient clientWith(String token) {
        return cluster.taskwireClient(token, "client-test");
    }

    private static TaskRequest sleep(long ms) {
        return TaskRequest.of("sleep", Map.of("ms", ms));
    }

    @Test
    void sendSyncReturnsTheFinalViewAndTheOutputReadsAsTheCallersType() {
        TaskView done = client.sendSync(TaskRequest.of("echo", new Greeting("hello", 3)), WAIT);

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(client.output(done, Greeting.class)).isEqualTo(new Greeting("hello", 3));
        assertThat(client.connectedTo()).hasValueSatisfying(address -> assertThat(address.port()).isEqualTo(cluster.rsocketPort));
    }

    @Test
    void sendSyncReturnsAFailedTaskAsItsFinalViewWithTheHandlersError() {
        TaskView failed = client.sendSync(TaskRequest.of("sleep", Map.of("ms", "soon")).maxAttempts(1), WAIT);

        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error().message()).contains("sleep takes {\"ms\": N}");
    }

    @Test
    void sendAsyncCompletesAtTheFinalStateAndSubmitAsyncAtAcceptance() throws Exception {
        CompletableFuture<TaskView> accepted = client.submitAsync(sleep(300));
        CompletableFuture<TaskView> finished = client.sendAsync(sleep(300), WAIT);

        assertThat(accepted.get(10, TimeUnit.SECONDS).status()).isIn(TaskStatus.PENDING, TaskStatus.DISPATCHED);
        TaskView last = finished.get(10, TimeUnit.SECONDS);
        assertThat(last.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(client.output(last, Map.class)).isEqualTo(Map.of("sleptMs", 300));
    }

    @Test
    void theCallbackHearsTheAcceptanceThenTheFinalState() {
        List<TaskView> heard = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        client.sendAsync(sleep(300), new TaskCallback() {
            @Override
            public void onAccepted(TaskView accepted) {
                heard.add(accepted);
            }

            @Override
            public void onFinished(TaskView view) {
                heard.add(view);
            }

            @Override
            public void onFailure(Throwable failure) {
                failures.add(failure);
            }
        });

        await().atMost(WAIT).until(() -> heard.size() == 2);
        assertThat(failures).isEmpty();
        assertThat(heard.get(0).status()).isIn(TaskStatus.PENDING, TaskStatus.DISPATCHED);
        assertThat(heard.get(1).status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(heard.get(1).taskId()).isEqualTo(heard.get(0).taskId());
    }

    @Test
    void oneWaySubmissionsAreCountedByTheSchedulerAndRun() {
        long before = oneWaysReceived();
        List<TaskEvent> finished = new CopyOnWriteArrayList<>();
        Disposable watch = client.watchType("echo").filter(event -> event.status().isFinal()).subscribe(finished::add);
        try {
            List<String> probes = awaitWatchLive(finished, TaskRequest.of("echo", "probe"));
            IntStream.range(0, 20).forEach(n -> client.sendOneway(TaskRequest.of("echo", Map.of("oneway", n))));

            await().atMost(WAIT).until(() -> oneWaysReceived() - before == 20);
            await().atMost(WAIT).until(() -> finished.stream().filter(event -> !probes.contains(event.taskId())).count() == 20);
            assertThat(finished).allSatisfy(event -> assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED));
        } finally {
            watch.dispose();
        }
    }

    @Test
    void watchByTypeDeliversEveryTransitionOfATaskInOrder() {
        List<TaskEvent> seen = new CopyOnWriteArrayList<>();
        Disposable watch = client.watchType("sleep").subscribe(seen::add);
        try {
            awaitWatchLive(seen, sleep(0));
            TaskView accepted = client.submit(sleep(200));

            await().atMost(WAIT).until(() -> of(seen, accepted.taskId()).contains(TaskStatus.SUCCEEDED));
            assertThat(of(seen, accepted.taskId()))
                    .containsExactly(TaskStatus.PENDING, TaskStatus.DISPATCHED, TaskStatus.SUCCEEDED);
        } finally {
            watch.dispose();
        }
    }

    @Test
    void watchOfOneTaskStartsFromItsStateAndEndsAtItsFinalOne() {
        TaskView accepted = client.submit(sleep(500));

        List<TaskEvent> events = client.watch(accepted.taskId()).collectList().block(WAIT);

        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).status()).isEqualTo(TaskStatus.SUCCEEDED);
        List<Integer> order = events.stream().map(event -> event.status().ordinal()).toList();
        assertThat(order).as("each state once, in the order of the task's life").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void batchesGetAndAbort() {
        List<TaskView> batch = client.submitBatch(List.of(TaskRequest.of("echo", 1), TaskRequest.of("echo", 2),
                sleep(30_000).routing(new Routing(RoutingStrategy.LEAST_LOADED, null, null))));
        assertThat(batch).hasSize(3);

        TaskView aborted = client.abort(batch.get(2).taskId());
        assertThat(aborted.status()).isEqualTo(TaskStatus.ABORTED);
        assertThat(client.get(batch.get(2).taskId()).status()).isEqualTo(TaskStatus.ABORTED);
        assertThat(client.awaitFinal(batch.get(0).taskId(), WAIT).output().asInt()).isEqualTo(1);
    }

    @Test
    void aSyncCallThatOutlivesItsTimeoutNamesTheTaskWhichGoesOn() {
        assertThatThrownBy(() -> client.sendSync(sleep(1500), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(TaskTimeoutException.class, timeout -> {
                    assertThat(timeout.code()).isEqualTo(ErrorCode.TIMEOUT);
                    assertThat(client.awaitFinal(timeout.taskId(), WAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
                });
    }

    @Test
    void refusalsArriveAsTheExceptionTypeOfTheirCodeWithTheSchedulersMessage() {
        assertThatThrownBy(() -> client.submit(TaskRequest.of("no-such-type", 1)))
                .isInstanceOf(UnknownTaskTypeException.class).hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> client.get("no-such-task"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-task");
        assertThatThrownBy(() -> client.submit(TaskRequest.of("echo", "x".repeat(2 * 1024 * 1024))))
                .isInstanceOfSatisfying(PayloadTooLargeException.class,
                        tooLarge -> assertThat(tooLarge.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        try (TaskwireClient wrongToken = clientWith("not-the-token");
             TaskwireClient workerToken = clientWith(Tokens.WORKER)) {
            assertThatThrownBy(() -> wrongToken.get("any")).isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> workerToken.get("any")).isInstanceOf(ForbiddenException.class);
        }
        // the connection stays usable after each refusal
        assertThat(client.sendSync(TaskRequest.of("echo", "still here"), WAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSentNamingTheField() {
        try (TaskwireClient fresh = clientWith(Tokens.CLIENT)) {
            assertThatThrownBy(() -> fresh.submit(TaskRequest.of(" ", 1)))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("type"));
            assertThatThrownBy(() -> fresh.submit(TaskRequest.of("echo", 1).maxAttempts(0)))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("maxAttempts"));
            assertThatThrownBy(() -> fresh.submit(TaskRequest.of("echo", 1)
                    .routing(new Routing(RoutingStrategy.CONSISTENT_HASH, null, null))))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("key"));
            assertThatThrownBy(() -> fresh.submit(TaskRequest.of("echo", 1).pinnedTo("w".repeat(200))))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("workerId"));
            assertThatThrownBy(() -> fresh.get(""))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("taskId"));
            assertThatThrownBy(() -> fresh.watch("x".repeat(200)).blockLast(WAIT))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("taskId"));
            assertThat(fresh.connectedTo()).as("nothing was sent, so the client never dialed").isEmpty();
        }
    }

    /** Waits until a watch sees a probe submitted after it: from then on it misses nothing. */
    private static List<String> awaitWatchLive(List<TaskEvent> seen, TaskRequest probe) {
        List<String> probes = new CopyOnWriteArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            probes.add(client.submit(probe).taskId());
            return seen.stream().anyMatch(event -> probes.contains(event.taskId()));
        });
        return probes;
    }

    private static List<TaskStatus> of(List<TaskEvent> events, String taskId) {
        return events.stream().filter(event -> event.taskId().equals(taskId)).map(TaskEvent::status).toList();
    }

    private static long oneWaysReceived() {
        Timer timer = cluster.schedulerBean(MeterRegistry.class).find("taskwire.rsocket.requests")
                .tags("route", "task.submit.oneway", "side", "responder", "outcome", "success").timer();
        return timer == null ? 0 : timer.count();
    }
}
