package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskwire.messages.Encoding;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Batched dispatch against fake workers: tasks a round gives one worker leave in one
 * {@code task.execute.batch}, a lone task still goes by {@code task.execute}, the receipt's refusals
 * are requeued like refused single tasks, and zstd goes only to workers that advertise it.
 */
@SchedulerTest
class BatchedDispatchTest extends WithFakeWorkersAndClient {

    @Test
    void batchSubmittedWhileAWorkerHasAsManyFreeSlotsReachesItAsOneBatch() {
        FakeWorker worker = workers.start(FakeWorker.hello("bat-a", 8, "bat-echo"), a -> FakeWorker.echo(a, "bat-a"));

        List<TaskView> views = client.submitAll(specs("bat-echo", 8, 1));

        views.forEach(view -> client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN));
        assertThat(worker.batches).as("batches received").hasSize(1);
        assertThat(worker.batches.peek().count()).isEqualTo(8);
        assertThat(worker.assignments).as("assignments, batched or not").hasSize(8);
        assertThat(worker.acks).allSatisfy(ack -> assertThat(ack.accepted()).isTrue());
    }

    @Test
    void loneTaskGoesByTaskExecute() {
        FakeWorker worker = workers.echo("lone-a", "lone-echo");

        String id = client.submitAll(specs("lone-echo", 1, 1)).get(0).taskId();

        assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).output()).isEqualTo(Specs.payload(0));
        assertThat(worker.assignments).hasSize(1);
        assertThat(worker.batches).as("batches received").isEmpty();
    }

    @Test
    void batchNeverHoldsMoreTasksThanTheWorkersFreeSlots() {
        FakeWorker worker = workers.start(FakeWorker.hello("cap-slots", 3, "capb-echo"), a -> Mono.never());

        List<TaskView> views = client.submitAll(specs("capb-echo", 7, 1));

        TaskBatch first = FakeWorkers.poll(worker.batches, WITHIN);
        assertThat(first).isNotNull();
        assertThat(first.count()).isEqualTo(3);
        assertThat(FakeWorkers.poll(worker.batches, Duration.ofMillis(300))).as("a second batch while full").isNull();
        assertThat(worker.assignments).hasSize(3);
        assertThat(views.stream().filter(view -> client.get(view.taskId()).status() == TaskStatus.PENDING)).hasSize(4);
    }

    @Test
    void tasksRefusedInTheReceiptMoveToAnotherWorkerWithoutSpendingAnAttempt() {
        FakeWorker partly = workers.start(FakeWorker.hello("part-a", 4, "part-echo"), a -> a.payload().get("n").asInt() >= 2
                ? Mono.error(new ProtocolException(ErrorCode.AT_CAPACITY, "full")) : FakeWorker.echo(a, "part-a"));
        partly.refuseInBatches(a -> a.payload().get("n").asInt() >= 2 ? ErrorCode.AT_CAPACITY : null);

        List<TaskView> views = client.submitAll(specs("part-echo", 4, 1));
        assertThat(FakeWorkers.poll(partly.batches, WITHIN)).as("the batch").isNotNull();
        workers.echo("part-b", "part-echo");

        List<TaskView> done = views.stream()
                .map(view -> client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN)).toList();
        assertThat(done).extracting(TaskView::workerId).containsExactly("part-a", "part-a", "part-b", "part-b");
        assertThat(done.get(0).attempt()).isEqualTo(1);
        assertThat(done.get(2).attempt()).as("each dispatch numbers a new attempt, refusals spend none")
                .isGreaterThan(1);
    }

    @Test
    void failedBatchCallEndsEachTaskAsAFailedTaskExecute() {
        FakeWorker broken = workers.start(FakeWorker.hello("fail-a", 4, "fail-echo"), a -> FakeWorker.echo(a, "fail-a"));
        broken.failBatches(new ProtocolException(ErrorCode.INVALID_REQUEST, "scripted bad batch"));

        List<TaskView> views = client.submitAll(specs("fail-echo", 3, 3));

        for (TaskView view : views) {
            TaskView failed = client.awaitStatus(view.taskId(), TaskStatus.FAILED, WITHIN);
            assertThat(failed.attempt()).as("a bad request is final, as for task.execute").isEqualTo(1);
            assertThat(failed.error().code()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void workerThatDoesNotKnowBatchesGetsTheTasksOneAtATimeWithoutSpendingAttempts() {
        FakeWorker older = workers.start(FakeWorker.hello("old-a", 4, "old-echo"), a -> FakeWorker.echo(a, "old-a"));
        older.failBatches(new ProtocolException(ErrorCode.NOT_FOUND, "no route task.execute.batch here"));

        List<TaskView> first = client.submitAll(specs("old-echo", 3, 1));
        first.forEach(view -> assertThat(client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN).attempt())
                .isEqualTo(1));
        List<TaskView> second = client.submitAll(specs("old-echo", 3, 1));
        second.forEach(view -> client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN));

        assertThat(older.batches).as("batches tried: only the first").hasSize(1);
        assertThat(older.assignments).as("assignments by task.execute (the refused batch started none)").hasSize(6);
    }

    @Test
    void acceptedTasksWithoutAResultTimeOutAndAreCancelled() {
        FakeWorker silent = workers.start(FakeWorker.hello("mute-a", 4, "mute-echo"), a -> Mono.never());

        List<TaskView> views = client.submitAll(IntStream.range(0, 2)
                .mapToObj(n -> new TaskSpec("mute-echo", Specs.payload(n), null, null, 300L, 1, null, null)).toList());

        for (TaskView view : views) {
            assertThat(client.awaitStatus(view.taskId(), TaskStatus.TIMED_OUT, WITHIN).attempt()).isEqualTo(1);
        }
        assertThat(FakeWorkers.take(silent.cancels, 2, WITHIN)).extracting(TaskCancel::taskId)
                .containsExactlyInAnyOrderElementsOf(views.stream().map(TaskView::taskId).toList());
    }

    @Test
    void acceptedTasksOfAWorkerThatLeavesAreDispatchedAgain() {
        FakeWorker leaving = workers.start(FakeWorker.hello("gone-a", 4, "gone-echo"), a -> Mono.never());
        List<TaskView> views = client.submitAll(specs("gone-echo", 3, 2));
        assertThat(FakeWorkers.poll(leaving.batches, WITHIN)).as("the batch").isNotNull();

        leaving.close();
        workers.echo("gone-b", "gone-echo");

        for (TaskView view : views) {
            TaskView done = client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN);
            assertThat(done.workerId()).isEqualTo("gone-b");
            assertThat(done.attempt()).isEqualTo(2);
        }
    }

    @Test
    void zstdGoesOnlyToAWorkerThatAdvertisesItAndSmallBatchesGoUncompressed() {
        FakeWorker plain = workers.start(FakeWorker.hello("zs-plain", 4, "zs-plain-echo"),
                a -> FakeWorker.echo(a, "zs-plain"));
        FakeWorker zstd = workers.start(FakeWorker.advertising(FakeWorker.hello("zs-zstd", 4, "zs-zstd-echo"), "zstd"),
                a -> FakeWorker.echo(a, "zs-zstd"));

        assertThat(encodingOfABatch(plain, "zs-plain-echo", 400)).isEqualTo(Encoding.GZIP);
        assertThat(encodingOfABatch(zstd, "zs-zstd-echo", 400)).isEqualTo(Encoding.ZSTD);
        assertThat(encodingOfABatch(zstd, "zs-zstd-echo", 10)).as("under the compression threshold")
                .isEqualTo(Encoding.IDENTITY);
    }

    /** Submits four tasks whose payloads carry {@code textLength} characters each; returns their batch's encoding. */
    private Encoding encodingOfABatch(FakeWorker worker, String type, int textLength) {
        List<TaskSpec> specs = IntStream.range(0, 4).mapToObj(n -> {
            ObjectNode payload = Specs.payload(n).deepCopy();
            payload.put("text", "x".repeat(textLength));
            return TaskSpec.of(type, payload);
        }).toList();
        List<TaskView> views = client.submitAll(specs);
        views.forEach(view -> client.awaitStatus(view.taskId(), TaskStatus.SUCCEEDED, WITHIN));
        TaskBatch batch = FakeWorkers.poll(worker.batches, WITHIN);
        assertThat(batch).as("a batch").isNotNull();
        assertThat(batch.count()).isEqualTo(4);
        return batch.encoding();
    }

    private static List<TaskSpec> specs(String type, int count, int maxAttempts) {
        return IntStream.range(0, count).mapToObj(n -> Specs.withAttempts(type, n, maxAttempts)).toList();
    }
}
