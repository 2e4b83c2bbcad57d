package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.WatchFilter;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.WithFakeWorkersAndClient;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

@SchedulerTest
class TaskWatchTest extends WithFakeWorkersAndClient {

    @Test
    void watchOfOneTaskStreamsItsCurrentStateThenEveryChangeAndCompletesAtTheFinalOne() {
        workers.echo("watch-a", "watch-echo");
        String id = client.submit(Specs.pinned("watch-echo", 1, "watch-b")).taskId();
        CompletableFuture<FakeWorker> pinned = new CompletableFuture<>();

        StepVerifier.create(watch(new WatchFilter(id, null)))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.PENDING))
                .then(() -> pinned.completeAsync(() -> workers.echo("watch-b", "watch-echo")))
                .assertNext(event -> {
                    assertThat(event.status()).isEqualTo(TaskStatus.DISPATCHED);
                    assertThat(event.attempt()).isEqualTo(1);
                    assertThat(event.workerId()).isEqualTo("watch-b");
                })
                .assertNext(event -> {
                    assertThat(event.taskId()).isEqualTo(id);
                    assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED);
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(pinned).succeedsWithin(WITHIN);
    }

    @Test
    void watchOfAFinishedTaskAnswersItsFinalStateAndCompletes() {
        workers.echo("watch-done-a", "watch-done-echo");
        String id = client.submit(Specs.spec("watch-done-echo", 1)).taskId();
        client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);

        StepVerifier.create(watch(new WatchFilter(id, null)))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.SUCCEEDED))
                .expectComplete()
                .verify(WITHIN);
    }

    @Test
    void watchOfATypeSeesEventsOfThatTypeOnly() {
        workers.echo("watch-type-a", "watch-seen", "watch-unseen");
        BlockingQueue<TaskEvent> events = new LinkedBlockingQueue<>();
        Disposable watching = watch(new WatchFilter(null, "watch-seen")).subscribe(events::add);
        try {
            // the first task's events prove the watch is in place before the other type runs
            String probe = client.submit(Specs.spec("watch-seen", 0)).taskId();
            List<TaskEvent> seen = new ArrayList<>(untilFinal(events, probe));
            String other = client.submit(Specs.spec("watch-unseen", 1)).taskId();
            client.awaitStatus(other, TaskStatus.SUCCEEDED, WITHIN);
            String last = client.submit(Specs.spec("watch-seen", 2)).taskId();
            seen.addAll(untilFinal(events, last));

            assertThat(seen).extracting(TaskEvent::taskId).containsOnly(probe, last);
            assertThat(seen).filteredOn(event -> event.taskId().equals(last)).extracting(TaskEvent::status)
                    .containsExactly(TaskStatus.PENDING, TaskStatus.DISPATCHED, TaskStatus.SUCCEEDED);
        } finally {
            watching.dispose();
        }
    }

    @Test
    void watchOfAnUnknownTaskIsNotFound() {
        StepVerifier.create(watch(new WatchFilter("no-such-task", null)))
                .expectErrorSatisfies(error ->
                        assertThat(ProtocolException.fromWire(error.getMessage()).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .verify(WITHIN);
    }

    private Flux<TaskEvent> watch(WatchFilter filter) {
        return client.requester().route(Routes.TASK_WATCH).data(filter).retrieveFlux(TaskEvent.class);
    }

    /** @return the events taken from the queue up to the final one of the task, failing if it does not come */
    private static List<TaskEvent> untilFinal(BlockingQueue<TaskEvent> events, String taskId) {
        List<TaskEvent> taken = new ArrayList<>();
        while (true) {
            TaskEvent next = FakeWorkers.poll(events, WITHIN);
            assertThat(next).as("final event of %s", taskId).isNotNull();
            taken.add(next);
            if (next.taskId().equals(taskId) && next.status().isFinal()) {
                return taken;
            }
        }
    }
}
