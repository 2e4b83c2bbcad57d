package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.FakeWorker;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import io.taskwire.scheduler.support.TestTokens;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestTemplate;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Mono;

/**
 * A worker whose handler fails every call opens its own breaker and no other: traffic flows to the
 * healthy worker, and the breaker closes again once the worker recovers.
 */
@SchedulerTest
@TestPropertySource(properties = {
        "resilience4j.circuitbreaker.configs.worker.sliding-window-size=4",
        "resilience4j.circuitbreaker.configs.worker.minimum-number-of-calls=4",
        "resilience4j.circuitbreaker.configs.worker.wait-duration-in-open-state=1s",
        "resilience4j.circuitbreaker.configs.worker.permitted-number-of-calls-in-half-open-state=2"})
class WorkerBreakerTest extends WithFakeWorkersAndClient {

    private static final String TYPE = "breaker-echo";

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    MeterRegistry meters;

    @LocalManagementPort
    int managementPort;

    @Test
    void failingWorkerOpensOnlyItsOwnBreakerAndTrafficFlowsToTheHealthyOne() {
        FakeWorker failing = workers.start(FakeWorker.hello("breaker-bad", 4, TYPE),
                assignment -> Mono.just(FakeWorker.result(assignment, "breaker-bad", Outcome.FAILED)));
        FakeWorker healthy = workers.echo("breaker-good", TYPE);

        await().atMost(WITHIN).until(() -> {
            client.submit(Specs.withAttempts(TYPE, 0, 5));
            return breaker("breaker-bad").getState() == CircuitBreaker.State.OPEN;
        });
        failing.assignments.clear();
        List<TaskView> whileOpen = submitAndAwait(20);

        assertThat(whileOpen).allSatisfy(view -> {
            assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(view.workerId()).isEqualTo("breaker-good");
        });
        assertThat(failing.assignments).as("tasks sent to the worker with the open breaker").isEmpty();
        assertThat(breaker("breaker-good").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        RestTemplate actuator = new RestTemplateBuilder().defaultHeader(HttpHeaders.AUTHORIZATION,
                "Bearer " + TestTokens.CLIENT).build();
        assertThat(actuator.getForObject("http://localhost:" + managementPort + "/actuator/circuitbreakers",
                String.class))
                .contains("worker:breaker-bad").contains("OPEN").contains("worker:breaker-good");
        assertThat(healthy.assignments).isNotEmpty();
    }

    @Test
    void breakersAreMeteredInAFixedNumberOfSeriesNotPerWorker() {
        workers.start(FakeWorker.hello("breaker-metered", 4, "breaker-metered"),
                assignment -> Mono.just(FakeWorker.result(assignment, "breaker-metered", Outcome.FAILED)));
        double openedBefore = meters.counter("taskwire.workers.breaker.transitions", "to", "open").count();

        await().atMost(WITHIN).until(() -> {
            client.submit(Specs.withAttempts("breaker-metered", 0, 1));
            return breaker("breaker-metered").getState() == CircuitBreaker.State.OPEN;
        });

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(meters.get("taskwire.workers.breakers").tag("state", "open").gauge().value()).isGreaterThanOrEqualTo(1);
            assertThat(meters.counter("taskwire.workers.breaker.transitions", "to", "open").count())
                    .isGreaterThan(openedBefore);
        });
        assertThat(meters.find("taskwire.workers.breakers").gauges()).as("one series per state")
                .hasSize(CircuitBreaker.State.values().length);
        assertThat(meters.find("resilience4j.circuitbreaker.state").meters())
                .as("Resilience4j's per-worker breaker series").isEmpty();
    }

    @Test
    void breakerClosesAgainOnceTheWorkerRecovers() {
        FakeWorker flaky = workers.start(FakeWorker.hello("breaker-flaky", 4, TYPE),
                assignment -> Mono.just(FakeWorker.result(assignment, "breaker-flaky", Outcome.FAILED)));
        await().atMost(WITHIN).until(() -> {
            client.submit(Specs.withAttempts(TYPE, 0, 1));
            return breaker("breaker-flaky").getState() == CircuitBreaker.State.OPEN;
        });

        flaky.answer(assignment -> FakeWorker.echo(assignment, "breaker-flaky"));

        await().atMost(WITHIN).until(() -> {
            client.submit(Specs.withAttempts(TYPE, 1, 1));
            return breaker("breaker-flaky").getState() == CircuitBreaker.State.CLOSED;
        });
        assertThat(submitAndAwait(5)).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
    }

    @Test
    void taskWaitingForAnOpenBreakerGoesAsSoonAsItHalfOpens() {
        FakeWorker only = workers.start(FakeWorker.hello("breaker-only", 4, "breaker-solo"),
                assignment -> Mono.just(FakeWorker.result(assignment, "breaker-only", Outcome.FAILED)));
        await().atMost(WITHIN).until(() -> {
            client.submit(Specs.withAttempts("breaker-solo", 0, 1));
            return breaker("breaker-only").getState() == CircuitBreaker.State.OPEN;
        });
        only.answer(assignment -> FakeWorker.echo(assignment, "breaker-only"));

        String waiting = client.submit(Specs.withAttempts("breaker-solo", 7, 1)).taskId();

        assertThat(client.get(waiting).status()).as("while the only worker's breaker is open").isEqualTo(TaskStatus.PENDING);
        // nothing else happens: the breaker's own move to HALF_OPEN must start the dispatch
        assertThat(client.awaitStatus(waiting, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("breaker-only");
    }

    @Test
    void breakerIsRemovedWhenItsWorkerLeaves() {
        FakeWorker leaving = workers.echo("breaker-leaving", TYPE);
        assertThat(breakers.find(WorkerBreakers.name("breaker-leaving"))).isPresent();

        leaving.close();

        await().atMost(WITHIN).until(() -> breakers.find(WorkerBreakers.name("breaker-leaving")).isEmpty());
    }

    private List<TaskView> submitAndAwait(int count) {
        return IntStream.range(0, count)
                .mapToObj(n -> client.submit(Specs.spec(TYPE, n)).taskId())
                .toList().stream()
                .map(id -> client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN))
                .toList();
    }

    private CircuitBreaker breaker(String workerId) {
        return breakers.find(WorkerBreakers.name(workerId)).orElseThrow();
    }
}
