package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.transport.ProtocolErrors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A scheduler and two workers over real TCP: 1,000 echo tasks through each way of submitting end
 * SUCCEEDED with their own payload as output, spread over both workers.
 */
class EndToEndTest {

    private static final int TASKS = 1000;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static LocalCluster cluster;
    private static RSocketRequester client;
    private static final RestTemplate http = Tokens.http();

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start();
        cluster.startWorker("worker-1");
        cluster.startWorker("worker-2");
        client = cluster.client("end-to-end");
        await().atMost(Duration.ofSeconds(10)).until(() -> workerIds().containsAll(Set.of("worker-1", "worker-2")));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void thousandTasksOverHttpSucceedOnBothWorkers() {
        List<TaskView> accepted = IntStream.range(0, TASKS).parallel()
                .mapToObj(n -> http.postForEntity(cluster.http("/api/v1/tasks"), json(spec("http", n)), TaskView.class))
                .peek(response -> assertThat(response.getStatusCode().value()).isEqualTo(202))
                .map(ResponseEntity::getBody)
                .toList();

        assertAllSucceeded("http", accepted.stream().map(TaskView::taskId).toList());
    }

    @Test
    void thousandTasksOverRSocketSyncSucceedOnBothWorkers() {
        List<TaskView> finished = Flux.range(0, TASKS)
                .flatMap(n -> client.route(Routes.TASK_SUBMIT_AWAIT).data(spec("sync", n)).retrieveMono(TaskView.class), 64)
                .collectList()
                .block(LIMIT);

        assertThat(finished).hasSize(TASKS).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertAllSucceeded("sync", finished.stream().map(TaskView::taskId).toList());
    }

    @Test
    void thousandTasksOverRSocketAsyncSucceedOnBothWorkers() {
        List<TaskView> accepted = Flux.range(0, TASKS)
                .flatMap(n -> client.route(Routes.TASK_SUBMIT).data(spec("async", n)).retrieveMono(TaskView.class), 64)
                .collectList()
                .block(LIMIT);

        assertThat(accepted).hasSize(TASKS);
        assertAllSucceeded("async", accepted.stream().map(TaskView::taskId).toList());
    }

    @Test
    void thousandTasksOverRSocketOneWaySucceedOnBothWorkers() {
        Set<String> finishedIds = ConcurrentHashMap.newKeySet();
        Disposable watch = client.route(Routes.TASK_WATCH).data(new WatchFilter(null, "sleep"))
                .retrieveFlux(TaskEvent.class)
                .filter(event -> event.status().isFinal())
                .subscribe(event -> finishedIds.add(event.taskId()));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                // the watch is live once it sees a task submitted after it
                TaskView probe = client.route(Routes.TASK_SUBMIT).data(sleep(0)).retrieveMono(TaskView.class).block(LIMIT);
                return waitFor(() -> finishedIds.contains(probe.taskId()));
            });
            finishedIds.clear();

            Flux.range(0, TASKS)
                    .flatMap(n -> client.route(Routes.TASK_SUBMIT_ONEWAY).data(sleep(n % 2)).send(), 64)
                    .blockLast(LIMIT);

            await().atMost(LIMIT).until(() -> finishedIds.size() >= TASKS);
        } finally {
            watch.dispose();
        }
        List<TaskView> views = finishedIds.stream().map(EndToEndTest::get).toList();
        assertThat(views).hasSize(TASKS).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(views.stream().map(TaskView::workerId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("worker-1", "worker-2");
    }

    /** Batch submissions reach the workers in task.execute.batch calls, and every task runs exactly once. */
    @Test
    void thousandTasksInBatchesSucceedOnBothWorkersEachExactlyOnce() {
        double dispatchedBefore = schedulerCount("taskwire.tasks.dispatched");
        double batchedBefore = schedulerCount("taskwire.tasks.batched");
        double repeatedBefore = repeatedResults();

        List<TaskView> accepted = Flux.range(0, 10)
                .concatMap(batch -> client.route(Routes.TASK_SUBMIT_BATCH)
                        .data(IntStream.range(batch * 100, batch * 100 + 100).mapToObj(n -> spec("batch", n)).toList())
                        .retrieveMono(new ParameterizedTypeReference<List<TaskView>>() { }))
                .flatMapIterable(views -> views)
                .collectList()
                .block(LIMIT);

        assertThat(accepted).hasSize(TASKS);
        assertAllSucceeded("batch", accepted.stream().map(TaskView::taskId).toList());
        assertThat(accepted.stream().map(view -> get(view.taskId()).attempt())).as("attempts per task").containsOnly(1);
        assertThat(schedulerCount("taskwire.tasks.dispatched") - dispatchedBefore).as("attempts dispatched")
                .isEqualTo(TASKS);
        assertThat(schedulerCount("taskwire.tasks.batched") - batchedBefore).as("attempts sent in batches")
                .isGreaterThan(TASKS / 2.0);
        assertThat(repeatedResults() - repeatedBefore).as("results delivered twice or late").isZero();
    }

    private static double schedulerCount(String counter) {
        return cluster.schedulerBean(MeterRegistry.class).find(counter).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double repeatedResults() {
        return cluster.schedulerBean(MeterRegistry.class).find("taskwire.results.delivered").counters().stream()
                .filter(counter -> !"accepted".equals(counter.getId().getTag("ack")))
                .mapToDouble(Counter::count).sum();
    }

    @Test
    void watchStreamsEveryStatusChangeOfATask() {
        TaskView accepted = client.route(Routes.TASK_SUBMIT).data(sleep(300)).retrieveMono(TaskView.class).block(LIMIT);

        List<TaskStatus> seen = client.route(Routes.TASK_WATCH).data(new WatchFilter(accepted.taskId(), null))
                .retrieveFlux(TaskEvent.class)
                .map(TaskEvent::status)
                .collectList()
                .block(LIMIT);

        // the stream starts at the task's state when watching began and ends with its final state
        assertThat(seen).endsWith(TaskStatus.SUCCEEDED).contains(TaskStatus.DISPATCHED);
        assertThat(seen.indexOf(TaskStatus.DISPATCHED)).isLessThan(seen.indexOf(TaskStatus.SUCCEEDED));
    }

    @Test
    void watchByTypeSeesPendingDispatchedAndSucceeded() {
        List<TaskEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disposable watch = client.route(Routes.TASK_WATCH).data(new WatchFilter(null, "sleep"))
                .retrieveFlux(TaskEvent.class).subscribe(events::add);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                TaskView task = client.route(Routes.TASK_SUBMIT).data(sleep(50)).retrieveMono(TaskView.class).block(LIMIT);
                return waitFor(() -> statusesOf(events, task.taskId())
                        .equals(List.of(TaskStatus.PENDING, TaskStatus.DISPATCHED, TaskStatus.SUCCEEDED)));
            });
        } finally {
            watch.dispose();
        }
    }

    @Test
    void everyBadInputGetsItsErrorAndTheClusterKeepsWorking() {
        assertThat(refusal(client.route(Routes.TASK_SUBMIT).data("{\"type\":".getBytes())))
                .satisfies(error -> assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(refusal(client.route(Routes.TASK_SUBMIT).data("{\"payload\":{}}".getBytes())))
                .satisfies(error -> assertThat(error.detail()).contains("type is required"));
        assertThat(refusal(client.route(Routes.TASK_SUBMIT).data("{\"type\":\"echo\",\"payload\":1,\"maxAttempts\":\"x\"}".getBytes())))
                .satisfies(error -> assertThat(error.detail()).contains("maxAttempts"));
        assertThat(refusal(client.route(Routes.TASK_SUBMIT).data(TaskSpec.of("no-such-type", JsonNodeFactory.instance.nullNode()))))
                .satisfies(error -> assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_TASK_TYPE));
        assertThat(refusal(client.route("no.such.route").data(new TaskRef("x"))))
                .satisfies(error -> assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(refusal(client.route(Routes.TASK_SUBMIT).data(("{\"type\":\"echo\",\"payload\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes())))
                .satisfies(error -> assertThat(error.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        HttpClientErrorException badHttp = org.assertj.core.api.Assertions.catchThrowableOfType(
                HttpClientErrorException.class,
                () -> http.postForEntity(cluster.http("/api/v1/tasks"), new HttpEntity<>("{\"type\":", jsonHeaders()),
                        String.class));
        assertThat(badHttp.getStatusCode().value()).isEqualTo(400);
        assertThat(badHttp.getResponseBodyAsString()).contains("\"code\":\"INVALID_REQUEST\"");

        RSocketRequester oldClient = Clients.requester("localhost", cluster.rsocketPort,
                new ClientHello(2, "from-the-future"));
        assertThat(refusal(oldClient.route(Routes.TASK_GET).data(new TaskRef("x"))).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        oldClient.dispose();

        TaskView after = client.route(Routes.TASK_SUBMIT_AWAIT).data(spec("after-bad-input", 1))
                .retrieveMono(TaskView.class).block(LIMIT);
        assertThat(after.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(workerIds()).containsExactlyInAnyOrder("worker-1", "worker-2");
    }

    private static ProtocolException refusal(RSocketRequester.RetrieveSpec request) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> request.retrieveMono(String.class).block(LIMIT));
        assertThat(failure).as("the request was refused").isNotNull();
        return ProtocolErrors.fromPeer(reactor.core.Exceptions.unwrap(failure));
    }

    private static HttpHeaders jsonHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return headers;
    }

    private static List<TaskStatus> statusesOf(List<TaskEvent> events, String taskId) {
        return events.stream().filter(event -> event.taskId().equals(taskId)).map(TaskEvent::status).toList();
    }

    /** Every task ends SUCCEEDED with its payload as output, and both workers did some. */
    private static void assertAllSucceeded(String mode, List<String> taskIds) {
        assertThat(taskIds).hasSize(TASKS).doesNotHaveDuplicates();
        await().atMost(LIMIT).until(() -> taskIds.stream().allMatch(id -> get(id).status().isFinal()));
        List<TaskView> views = taskIds.stream().map(EndToEndTest::get).toList();
        assertThat(views).allSatisfy(view -> {
            assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(view.output().get("mode").asText()).isEqualTo(mode);
        });
        assertThat(views.stream().map(view -> view.output().get("n").asInt()).collect(Collectors.toSet()))
                .hasSize(TASKS);
        assertThat(views.stream().map(TaskView::workerId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("worker-1", "worker-2");
    }

    private static TaskView get(String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class).block(LIMIT);
    }

    private static Set<String> workerIds() {
        List<Map<String, Object>> workers = http.exchange(cluster.http("/api/v1/workers"),
                org.springframework.http.HttpMethod.GET, null,
                new ParameterizedTypeReference<List<Map<String, Object>>>() { }).getBody();
        return workers.stream().filter(worker -> "ONLINE".equals(worker.get("status")))
                .map(worker -> (String) worker.get("workerId")).collect(Collectors.toSet());
    }

    private static TaskSpec spec(String mode, int n) {
        JsonNode payload = JsonNodeFactory.instance.objectNode().put("mode", mode).put("n", n);
        return TaskSpec.of("echo", payload);
    }

    private static TaskSpec sleep(int ms) {
        return TaskSpec.of("sleep", JsonNodeFactory.instance.objectNode().put("ms", ms));
    }

    private static HttpEntity<String> json(TaskSpec spec) {
        return new HttpEntity<>(io.taskwire.messages.Json.write(spec), jsonHeaders());
    }

    private static boolean waitFor(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(2)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            return false;
        }
    }
}
