package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

@SchedulerTest
class SlotLimitTest extends WithFakeWorkersAndClient {

    @Test
    void workerNeverHoldsMoreTasksThanItsSlots() {
        HeldAnswers held = new HeldAnswers("slots-2");
        FakeWorker worker = workers.start(FakeWorker.hello("slots-2", 2, "slots-echo"), held::answer);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.submit(Specs.spec("slots-echo", i)).taskId());
        }

        FakeWorkers.take(worker.assignments, 2, WITHIN);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> worker.assignments.isEmpty() && held.outstanding.get() == 2);
        held.releaseAll();

        ids.forEach(id -> client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN));
        assertThat(held.maxOutstanding.get()).as("most tasks the worker held at once").isEqualTo(2);
        assertThat(held.answered.get()).isEqualTo(10);
    }

    /** Answers held in sinks until released; after that, answers at once. Counts what is outstanding. */
    private static final class HeldAnswers {

        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger maxOutstanding = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        private final String workerId;
        private final Queue<Held> held = new ConcurrentLinkedQueue<>();
        private volatile boolean released;

        HeldAnswers(String workerId) {
            this.workerId = workerId;
        }

        Mono<TaskResult> answer(TaskAssignment assignment) {
            maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            if (released) {
                return Mono.fromSupplier(() -> done(assignment));
            }
            Sinks.One<TaskResult> sink = Sinks.one();
            held.add(new Held(assignment, sink));
            return sink.asMono();
        }

        void releaseAll() {
            released = true;
            for (Held next = held.poll(); next != null; next = held.poll()) {
                next.sink().tryEmitValue(done(next.assignment()));
            }
        }

        /** The count drops before the answer leaves, so the scheduler can never see it high. */
        private TaskResult done(TaskAssignment assignment) {
            outstanding.decrementAndGet();
            answered.incrementAndGet();
            return FakeWorker.result(assignment, workerId, Outcome.SUCCEEDED);
        }

        private record Held(TaskAssignment assignment, Sinks.One<TaskResult> sink) {
        }
    }
}
