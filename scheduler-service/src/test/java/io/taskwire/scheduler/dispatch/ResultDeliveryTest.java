package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Instant;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@SchedulerTest
class ResultDeliveryTest extends WithFakeWorkersAndClient {

    @Autowired
    WorkerRegistry registry;

    @Test
    void taskOfAWorkerWhoseConnectionClosesRunsAgainElsewhereAndItsLateResultIsStale() {
        FakeWorker lost = workers.silent("loss-a", "loss-echo");
        String id = client.submit(Specs.spec("loss-echo", 7)).taskId();
        TaskAssignment first = FakeWorkers.poll(lost.assignments, WITHIN);
        assertThat(first).isNotNull();
        FakeWorker survivor = workers.echo("loss-b", "loss-echo");

        lost.close();

        TaskAssignment second = FakeWorkers.poll(survivor.assignments, WITHIN);
        assertThat(second).as("the task dispatched again").isNotNull();
        assertThat(second.taskId()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.fence()).isNotEqualTo(first.fence());
        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
        assertThat(done.workerId()).isEqualTo("loss-b");

        // the lost worker comes back, once the scheduler has let go of its old session, and delivers its outbox
        await().atMost(WITHIN).until(() -> registry.find("loss-a").isEmpty());
        FakeWorker back = workers.silent("loss-a", "loss-echo");
        TaskResult late = new TaskResult(id, first.attempt(), "loss-a", first.fence(), Outcome.SUCCEEDED,
                Json.mapper().createObjectNode().put("from", "old attempt"), null, Instant.now(), Instant.now());
        ResultAck ack = deliver(back, late);

        assertThat(ack.stale()).isTrue();
        assertThat(ack.accepted()).isFalse();
        assertThat(client.get(id)).isEqualTo(done);
    }

    @Test
    void sameResultDeliveredTwiceIsRecordedOnceAndAcknowledgedAsDuplicate() {
        FakeWorker worker = workers.silent("dup-a", "dup-echo");
        String id = client.submit(Specs.spec("dup-echo", 3)).taskId();
        TaskAssignment assignment = FakeWorkers.poll(worker.assignments, WITHIN);
        assertThat(assignment).isNotNull();
        TaskResult result = FakeWorker.result(assignment, "dup-a", Outcome.SUCCEEDED);

        ResultAck first = deliver(worker, result);
        TaskView recorded = client.get(id);
        ResultAck second = deliver(worker, result);

        assertThat(first.accepted()).isTrue();
        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.accepted()).isFalse();
        assertThat(recorded.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(recorded.output()).isEqualTo(Specs.payload(3));
        assertThat(client.get(id)).isEqualTo(recorded);
    }

    @Test
    void resultWithAnOldFenceForTheCurrentAttemptNumberIsStale() {
        FakeWorker worker = workers.silent("fence-a", "fence-echo");
        String id = client.submit(Specs.spec("fence-echo", 1)).taskId();
        TaskAssignment assignment = FakeWorkers.poll(worker.assignments, WITHIN);
        assertThat(assignment).isNotNull();
        TaskResult forged = new TaskResult(id, assignment.attempt(), "fence-a", "0:0", Outcome.SUCCEEDED,
                Specs.payload(99), null, Instant.now(), Instant.now());

        assertThat(deliver(worker, forged).stale()).isTrue();
        assertThat(client.get(id).status()).isEqualTo(TaskStatus.DISPATCHED);
    }

    @Test
    void aResultByTaskResultEndsTheWaitingTaskExecuteCallAndFreesItsSlotAtOnce() {
        FakeWorker worker = workers.silent("slot-a", "slot-echo");
        List<TaskAssignment> running = new java.util.ArrayList<>();
        for (int n = 0; n < 4; n++) {
            // one at a time, so that each goes by its own task.execute call, which this worker never answers
            client.submit(Specs.spec("slot-echo", n));
            running.add(FakeWorkers.poll(worker.assignments, WITHIN));
        }
        String waiting = client.submit(Specs.spec("slot-echo", 4)).taskId();
        assertThat(FakeWorkers.poll(worker.assignments, Duration.ofMillis(300))).as("all 4 slots are taken").isNull();

        ResultAck ack = deliver(worker, FakeWorker.result(running.get(0), "slot-a", Outcome.SUCCEEDED));

        assertThat(ack.accepted()).isTrue();
        assertThat(client.get(running.get(0).taskId()).status()).isEqualTo(TaskStatus.SUCCEEDED);
        TaskAssignment next = FakeWorkers.poll(worker.assignments, WITHIN);
        assertThat(next).as("the freed slot takes the waiting task, long before the 5 min deadline").isNotNull();
        assertThat(next.taskId()).isEqualTo(waiting);
    }

    private static ResultAck deliver(FakeWorker worker, TaskResult result) {
        return worker.requester().route(Routes.TASK_RESULT).data(result).retrieveMono(ResultAck.class).block(WITHIN);
    }
}
