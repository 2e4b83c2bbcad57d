package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@SchedulerTest
class DeadlineAndAbortTest extends WithFakeWorkersAndClient {

    @Test
    void attemptWithoutAResultByItsTimeoutPlusGraceEndsTimedOutAndIsCancelled() {
        FakeWorker worker = workers.silent("deadline-a", "deadline-echo");

        String id = client.submit(Specs.withTimeout("deadline-echo", 1, 300)).taskId();
        TaskView timedOut = client.awaitStatus(id, TaskStatus.TIMED_OUT, Duration.ofSeconds(2));

        assertThat(timedOut.error().code()).isEqualTo("TIMEOUT");
        TaskCancel cancel = FakeWorkers.poll(worker.cancels, Duration.ofSeconds(2));
        assertThat(cancel).as("task.cancel sent to the worker").isNotNull();
        assertThat(cancel.taskId()).isEqualTo(id);
        assertThat(cancel.attempt()).isEqualTo(1);
    }

    @Test
    void abortingARunningTaskEndsItAbortedAndCancelsItsAttempt() {
        FakeWorker worker = workers.silent("abort-a", "abort-echo");
        String id = client.submit(Specs.spec("abort-echo", 1)).taskId();
        TaskAssignment running = FakeWorkers.poll(worker.assignments, WITHIN);
        assertThat(running).isNotNull();

        TaskView aborted = client.abort(id);

        assertThat(aborted.status()).isEqualTo(TaskStatus.ABORTED);
        assertThat(client.get(id).status()).isEqualTo(TaskStatus.ABORTED);
        TaskCancel cancel = FakeWorkers.poll(worker.cancels, WITHIN);
        assertThat(cancel).as("task.cancel sent to the worker").isNotNull();
        assertThat(cancel.taskId()).isEqualTo(id);
        assertThat(cancel.attempt()).isEqualTo(running.attempt());
    }

    @Test
    void abortingAFinishedTaskReturnsItUnchanged() {
        FakeWorker worker = workers.echo("abort-done-a", "abort-done-echo");
        String id = client.submit(Specs.spec("abort-done-echo", 5)).taskId();
        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);

        assertThat(client.abort(id)).isEqualTo(done);
        assertThat(client.get(id)).isEqualTo(done);
        assertThat(FakeWorkers.poll(worker.cancels, Duration.ofMillis(200))).isNull();
    }

    @Test
    void abortingAPendingTaskEndsItBeforeAnyWorkerSeesIt() {
        workers.echo("abort-pending-a", "abort-pending-echo");
        String id = client.submit(Specs.pinned("abort-pending-echo", 1, "abort-pending-b")).taskId();

        assertThat(client.abort(id).status()).isEqualTo(TaskStatus.ABORTED);

        FakeWorker pinned = workers.echo("abort-pending-b", "abort-pending-echo");
        assertThat(FakeWorkers.poll(pinned.assignments, Duration.ofMillis(300))).isNull();
        assertThat(client.get(id).status()).isEqualTo(TaskStatus.ABORTED);
    }
}
