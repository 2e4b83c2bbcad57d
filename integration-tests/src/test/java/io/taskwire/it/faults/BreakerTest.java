package io.taskwire.it.faults;

import io.taskwire.it.Tokens;
import static io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition.CLOSED_TO_OPEN;
import static io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition.HALF_OPEN_TO_CLOSED;
import static io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition.HALF_OPEN_TO_OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.WorkerBreakers;
import io.taskwire.worker.faulty.FlakyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process whose handler fails every call: its circuit breaker opens, tasks flow to the
 * healthy worker and still succeed, and the scheduler stays live. Once the worker recovers, its
 * half-open trial calls succeed, its breaker closes and it takes work again.
 */
class BreakerTest {

    private static final int SLOTS = 4;
    private static final int WAVE = 8;
    private static final int MAX_ATTEMPTS = 10;
    private static final Duration OPEN_WAIT = Duration.ofSeconds(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Closer closer = new Closer();
    @TempDir
    Path dir;
    private Path marker;
    private InProcessScheduler scheduler;
    private WorkerProcess failing;
    private WorkerProcess healthy;
    private BreakerTransitions failingBreaker;
    private BreakerTransitions healthyBreaker;
    private Ledger ledger;

    @BeforeEach
    void startWorkers() throws Exception {
        marker = Files.createFile(dir.resolve("failing"));
        String config = "--resilience4j.circuitbreaker.configs.worker.";
        scheduler = closer.add(InProcessScheduler.startWith(
                config + "sliding-window-size=4",
                config + "minimum-number-of-calls=4",
                config + "wait-duration-in-open-state=" + OPEN_WAIT.toMillis() + "ms",
                config + "permitted-number-of-calls-in-half-open-state=2"));
        failing = closer.add(WorkerProcess.start("breaker-failing", SLOTS, scheduler.rsocketPort(),
                "--" + FlakyHandler.MARKER + "=" + marker));
        healthy = closer.add(WorkerProcess.start("breaker-healthy", SLOTS, scheduler.rsocketPort()));
        failing.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
        healthy.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
        failingBreaker = BreakerTransitions.of(scheduler.breaker(failing.id()));
        healthyBreaker = BreakerTransitions.of(scheduler.breaker(healthy.id()));
        ledger = closer.add(Ledger.open(scheduler.client("breaker"), FlakyHandler.TYPE));
    }

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void failingWorkersBreakerOpensTasksSucceedOnTheHealthyOneAndItClosesOnceTheWorkerRecovers() throws Exception {
        long firstWaveAt = System.nanoTime();
        List<TaskView> firstWave = ledger.submitAll(flaky(WAVE));
        BreakerTransitions.Transition opened = failingBreaker.awaitState(State.OPEN, Duration.ofSeconds(5));
        List<TaskView> whileOpen = ledger.submitAll(flaky(WAVE));
        assertThat(breakerStates()).containsEntry(WorkerBreakers.name(failing.id()), "OPEN")
                .containsEntry(WorkerBreakers.name(healthy.id()), "CLOSED");
        assertThat(get("/actuator/health/liveness").path("status").asText()).isEqualTo("UP");
        ledger.awaitAllFinal(Duration.ofSeconds(10));
        assertThat(failingBreaker.names()).as("while the first two waves ran").containsExactly(CLOSED_TO_OPEN);

        Files.delete(marker);
        long recoveredAt = System.nanoTime();
        failingBreaker.awaitState(State.HALF_OPEN, OPEN_WAIT.plusSeconds(3));
        List<TaskView> trials = ledger.submitAll(flaky(WAVE));
        BreakerTransitions.Transition closed = failingBreaker.awaitState(State.CLOSED, Duration.ofSeconds(5));
        ledger.awaitAllFinal(Duration.ofSeconds(10));
        List<TaskView> afterRecovery = ledger.submitAll(flaky(WAVE));
        ledger.awaitAllFinal(Duration.ofSeconds(10));

        Map<String, TaskEvent> finals = ledger.assertEveryTaskEndedOnce();
        assertThat(finals.values()).allSatisfy(event -> assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(workersOf(firstWave, finals)).containsOnly(healthy.id());
        assertThat(workersOf(whileOpen, finals)).containsOnly(healthy.id());
        assertThat(ledger.events()).as("events of the tasks submitted while the breaker was open")
                .filteredOn(seen -> isIn(whileOpen, seen.event()))
                .noneMatch(seen -> failing.id().equals(seen.event().workerId()));
        assertThat(workersOf(afterRecovery, finals)).as("the recovered worker takes work again").contains(failing.id());
        assertThat(attemptsOf(trials, finals)).containsOnly(1);
        assertThat(attemptsOf(afterRecovery, finals)).containsOnly(1);
        assertThat(healthyBreaker.all()).as("the healthy worker's breaker never moved").isEmpty();
        assertThat(healthyBreaker.state()).isEqualTo(State.CLOSED);
        assertThat(failingBreaker.names()).startsWith(CLOSED_TO_OPEN).endsWith(HALF_OPEN_TO_CLOSED);
        assertThat(failingBreaker.state()).isEqualTo(State.CLOSED);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("openWaitMs", OPEN_WAIT.toMillis());
        figures.put("submitToOpenMs", Duration.ofNanos(opened.atNanos() - firstWaveAt).toMillis());
        figures.put("openToClosedMs", Duration.ofNanos(closed.atNanos() - opened.atNanos()).toMillis());
        figures.put("recoveryToClosedMs", Duration.ofNanos(closed.atNanos() - recoveredAt).toMillis());
        figures.put("failedTrials", failingBreaker.names().stream().filter(HALF_OPEN_TO_OPEN::equals).count());
        figures.put("failedAttempts", finals.values().stream().mapToInt(event -> event.attempt() - 1).sum());
        figures.put("afterRecoveryOnFailing", workersOf(afterRecovery, finals).stream().filter(failing.id()::equals).count());
        Figures.record("BreakerTest", figures);
        System.out.println("[reliability] ledger: " + ledger.summary() + ", breaker: "
                + failingBreaker.names().stream().map(Enum::name).toList());
    }

    private static List<TaskSpec> flaky(int count) {
        return IntStream.range(0, count).mapToObj(i -> new TaskSpec(FlakyHandler.TYPE,
                JsonNodeFactory.instance.objectNode().put("n", i), null, null, null, MAX_ATTEMPTS, null, null)).toList();
    }

    private static List<String> workersOf(List<TaskView> tasks, Map<String, TaskEvent> finals) {
        return tasks.stream().map(task -> finals.get(task.taskId()).workerId()).toList();
    }

    private static List<Integer> attemptsOf(List<TaskView> tasks, Map<String, TaskEvent> finals) {
        return tasks.stream().map(task -> finals.get(task.taskId()).attempt()).toList();
    }

    private static boolean isIn(List<TaskView> tasks, TaskEvent event) {
        return tasks.stream().anyMatch(task -> task.taskId().equals(event.taskId()));
    }

    /** @return each breaker's state, by name, as {@code /actuator/circuitbreakers} shows it */
    private Map<String, String> breakerStates() throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        get("/actuator/circuitbreakers").path("circuitBreakers").fields()
                .forEachRemaining(entry -> states.put(entry.getKey(), entry.getValue().path("state").asText()));
        return states;
    }

    private JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scheduler.managementPort() + path))
                .header("Authorization", "Bearer " + Tokens.CLIENT)
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s answered %s", path, response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
