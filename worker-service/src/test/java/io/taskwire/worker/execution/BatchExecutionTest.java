package io.taskwire.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.Encoding;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import io.taskwire.messages.TaskResult;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/**
 * {@code task.execute.batch} on the real worker: each encoding is accepted, what does not fit the free
 * slots is refused per task, a bad batch is refused whole, and results come back by
 * {@code task.result}, or together by {@code task.result.batch} when several are ready.
 */
@WorkerTest({"taskwire.worker.id=w-batch", "taskwire.worker.slots=3"})
class BatchExecutionTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(3)).start(0);

    @Autowired
    TaskRunner runner;

    @BeforeEach
    void idleWorker() {
        scheduler.worker();
        await().atMost(WITHIN).until(() -> runner.runningCount() == 0);
        scheduler.delivered().clear();
        scheduler.resultRoutes().clear();
        scheduler.acknowledgingResultsAfter(Duration.ZERO);
    }

    @Test
    void helloAdvertisesZstd() {
        assertThat(scheduler.setups().get(0).hello().encodings()).containsExactly("zstd");
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void everyEncodingIsAcceptedAndEachResultComesBack(Encoding encoding) throws InterruptedException {
        List<TaskAssignment> echoes = List.of(Tasks.echo("{\"n\":1}"), Tasks.echo("{\"n\":2}"), Tasks.echo("{\"n\":3}"));

        BatchReceipt receipt = scheduler.executeBatch(TaskBatches.encode(echoes, encoding)).block(WITHIN);

        assertThat(receipt.accepted()).containsExactlyElementsOf(echoes.stream().map(TaskAssignment::taskId).toList());
        assertThat(receipt.rejected()).isEmpty();
        Map<String, TaskResult> results = take(3);
        for (TaskAssignment echo : echoes) {
            TaskResult result = results.get(echo.taskId());
            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.output()).isEqualTo(echo.payload());
            assertThat(result.fence()).isEqualTo(echo.fence());
            assertThat(result.attempt()).isEqualTo(echo.attempt());
        }
    }

    @Test
    void batchLargerThanTheFreeSlotsIsPartlyRejectedAtCapacity() throws InterruptedException {
        List<TaskAssignment> sleeps = IntStream.range(0, 5).mapToObj(i -> Tasks.sleep(300)).toList();

        BatchReceipt receipt = scheduler.executeBatch(TaskBatches.encode(sleeps, Encoding.GZIP)).block(WITHIN);

        assertThat(receipt.accepted()).containsExactly(sleeps.get(0).taskId(), sleeps.get(1).taskId(),
                sleeps.get(2).taskId());
        assertThat(receipt.rejected()).extracting(BatchReceipt.Rejection::taskId)
                .containsExactly(sleeps.get(3).taskId(), sleeps.get(4).taskId());
        assertThat(receipt.rejected()).extracting(BatchReceipt.Rejection::code)
                .containsOnly(ErrorCode.AT_CAPACITY.name());
        assertThat(take(3).keySet()).containsExactlyInAnyOrderElementsOf(receipt.accepted());
        assertThat(scheduler.delivered().poll(300, TimeUnit.MILLISECONDS)).as("a result of a refused task").isNull();
    }

    @Test
    void unknownTypeIsRefusedPerTaskAndTheRestRuns() throws InterruptedException {
        TaskAssignment unknown = Tasks.assignment("resize-image", "{}", Duration.ofSeconds(30));
        TaskAssignment echo = Tasks.echo("{\"n\":7}");

        BatchReceipt receipt = scheduler.executeBatch(TaskBatches.encode(List.of(unknown, echo), Encoding.IDENTITY))
                .block(WITHIN);

        assertThat(receipt.accepted()).containsExactly(echo.taskId());
        assertThat(receipt.rejected()).containsExactly(
                new BatchReceipt.Rejection(unknown.taskId(), ErrorCode.UNKNOWN_TASK_TYPE.name()));
        assertThat(take(1)).containsOnlyKeys(echo.taskId());
    }

    @Test
    void batchWhoseCountDoesNotMatchIsRejectedWholeAndNothingRuns() throws InterruptedException {
        List<TaskAssignment> sleeps = List.of(Tasks.sleep(200), Tasks.sleep(200));
        TaskBatch honest = TaskBatches.encode(sleeps, Encoding.ZSTD);

        StepVerifier.create(scheduler.executeBatch(new TaskBatch(3, Encoding.ZSTD, honest.body())))
                .expectErrorSatisfies(error -> assertRefused(error, ErrorCode.INVALID_REQUEST, "count is 3"))
                .verify(WITHIN);

        assertThat(runner.runningCount()).isZero();
        assertThat(scheduler.delivered().poll(400, TimeUnit.MILLISECONDS)).as("a result of a refused batch").isNull();
    }

    @Test
    void batchNamingOneTaskTwiceIsRejectedWhole() {
        TaskAssignment echo = Tasks.echo("{\"n\":1}");

        StepVerifier.create(scheduler.executeBatch(TaskBatches.encode(List.of(echo, echo), Encoding.IDENTITY)))
                .expectErrorSatisfies(error -> assertRefused(error, ErrorCode.INVALID_REQUEST, "appears twice"))
                .verify(WITHIN);
        assertThat(runner.runningCount()).isZero();
    }

    @Test
    void resultsReadyWhileOneIsOnItsWayGoTogetherByResultBatch() throws InterruptedException {
        scheduler.acknowledgingResultsAfter(Duration.ofMillis(500));
        // one task ends at once; two end 100 ms later, while the first one's delivery is still held
        // (three echoes could all end before the first delivery starts, and rightly go together)
        List<TaskAssignment> echoes = List.of(Tasks.echo("{\"n\":1}"), Tasks.sleep(100), Tasks.sleep(100));

        scheduler.executeBatch(TaskBatches.encode(echoes, Encoding.IDENTITY)).block(WITHIN);

        assertThat(take(3)).hasSize(3);
        assertThat(new ArrayList<>(scheduler.resultRoutes()))
                .as("the first result alone, the two that ended while it was on its way together")
                .containsExactly(Routes.TASK_RESULT, Routes.TASK_RESULT_BATCH);
    }

    private static void assertRefused(Throwable error, ErrorCode code, String detail) {
        assertThat(error).isInstanceOf(ApplicationErrorException.class);
        ProtocolException refusal = ProtocolException.fromWire(error.getMessage());
        assertThat(refusal.code()).isEqualTo(code);
        assertThat(refusal.detail()).contains(detail);
    }

    /** @return exactly {@code count} delivered results by task id, failing unless they arrive in time */
    private static Map<String, TaskResult> take(int count) throws InterruptedException {
        List<TaskResult> taken = new ArrayList<>();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (taken.size() < count) {
            TaskResult next = scheduler.delivered().poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("result %d of %d", taken.size() + 1, count).isNotNull();
            taken.add(next);
        }
        return taken.stream().collect(Collectors.toMap(TaskResult::taskId, Function.identity()));
    }
}
