package io.taskwire.scheduler.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.WatchFilter;
import io.taskwire.scheduler.store.InMemoryTaskStore;
import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class TaskLedgerTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-24T10:00:00Z"));

    @Test
    void sameIdempotencyKeyReturnsTheFirstTask() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        TaskSpec spec = new TaskSpec("echo", Json.mapper().nullNode(), "order-17", null, null, null, null, null);

        TaskLedger.Created first = create(ledger, spec);
        TaskLedger.Created second = create(ledger, spec);

        assertThat(first.isNew()).isTrue();
        assertThat(second.isNew()).isFalse();
        assertThat(second.task()).isSameAs(first.task());
        assertThat(ledger.list(TaskQuery.newest(null, "echo", 10)).block(WITHIN)).containsExactly(first.task());
        assertThat(ledger.unfinished()).isEqualTo(1);
    }

    @Test
    void specDefaultsApplyWhenTheSpecLeavesThemOut() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        Task task = create(ledger, spec("echo")).task();

        TaskAssignment assignment = ledger.dispatch(task, "w-1", "e:1");

        assertThat(task.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(assignment.deadline()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void submissionsBeyondMaxPendingAreRefusedAtCapacity() {
        TaskLedger ledger = ledger(2, 100, Duration.ofHours(1));
        create(ledger, spec("echo"));
        Task second = create(ledger, spec("echo")).task();

        assertThatThrownBy(() -> create(ledger, spec("echo")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AT_CAPACITY));

        ledger.abort(second);
        assertThat(create(ledger, spec("echo")).isNew()).as("a finished task frees its place").isTrue();
    }

    @Test
    void acknowledgementsSayWhetherAResultWasRecordedDuplicateOrStale() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        Task task = create(ledger, spec("echo")).task();
        TaskAssignment first = ledger.dispatch(task, "w-1", "e:1");
        TaskLedger.Recorded rejected = ledger.record(task, result(first, Outcome.REJECTED));
        TaskAssignment second = ledger.dispatch(task, "w-2", "e:2");

        ResultAck accepted = ledger.record(task, result(second, Outcome.SUCCEEDED)).ack();
        ResultAck duplicate = ledger.record(task, result(second, Outcome.SUCCEEDED)).ack();
        ResultAck stale = ledger.record(task, result(first, Outcome.SUCCEEDED)).ack();

        assertThat(rejected.pendingAgain()).isTrue();
        assertThat(accepted).isEqualTo(new ResultAck(task.id(), 2, true, false, false));
        assertThat(duplicate).isEqualTo(new ResultAck(task.id(), 2, false, true, false));
        assertThat(stale).isEqualTo(new ResultAck(task.id(), 1, false, false, true));
        assertThat(ledger.unfinished()).isZero();
    }

    @Test
    void watchOfATaskStartsWithItsCurrentStateAndCompletesAtTheFinalOne() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        Task task = create(ledger, spec("echo")).task();

        StepVerifier.create(ledger.watch(task))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.PENDING))
                .then(() -> ledger.dispatch(task, "w-1", "e:1"))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.DISPATCHED))
                .then(() -> ledger.abort(task))
                .assertNext(event -> assertThat(event.status()).isEqualTo(TaskStatus.ABORTED))
                .expectComplete()
                .verify(WITHIN);
    }

    @Test
    void transitionThatDoesNotApplyPublishesNothing() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        Task task = create(ledger, spec("echo")).task();
        ledger.abort(task);

        StepVerifier.create(ledger.watch(new WatchFilter(null, "echo")))
                .then(() -> {
                    ledger.abort(task);
                    ledger.dispatch(task, "w-1", "e:1");
                    create(ledger, spec("other"));
                })
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(WITHIN);
    }

    @Test
    void watchOfATypeStreamsOnlyThatTypesChanges() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));

        StepVerifier.create(ledger.watch(new WatchFilter(null, "echo")).map(TaskEvent::status))
                .then(() -> {
                    create(ledger, spec("other"));
                    Task echo = create(ledger, spec("echo")).task();
                    ledger.abort(echo);
                })
                .expectNext(TaskStatus.PENDING, TaskStatus.ABORTED)
                .thenCancel()
                .verify(WITHIN);
    }

    @Test
    void finishedTasksBeyondTheRetainedCountAreForgottenOldestFirstWithTheirKeys() {
        TaskLedger ledger = ledger(10, 2, Duration.ofHours(1));
        TaskSpec keyed = new TaskSpec("echo", Json.mapper().nullNode(), "key-1", null, null, null, null, null);
        Task oldest = create(ledger, keyed).task();
        List<Task> newer = List.of(create(ledger, spec("echo")).task(), create(ledger, spec("echo")).task());

        ledger.abort(oldest);
        newer.forEach(ledger::abort);

        assertThat(ledger.find(oldest.id())).isEmpty();
        assertThatThrownBy(() -> ledger.get(oldest.id()).block(WITHIN))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        newer.forEach(task -> assertThat(ledger.find(task.id())).isPresent());
        assertThat(create(ledger, keyed).isNew()).as("the forgotten task's key is free again").isTrue();
    }

    @Test
    void tasksFinishingOnManyThreadsAtOnceKeepTheRetainedCountAndTheNewest() throws Exception {
        int retained = 100;
        TaskLedger ledger = ledger(20_000, retained, Duration.ofHours(1));
        List<Task> tasks = java.util.stream.IntStream.range(0, 8_000).mapToObj(n -> create(ledger, spec("echo")).task()).toList();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> finishing = java.util.stream.IntStream.range(0, 8)
                    .<java.util.concurrent.Future<?>>mapToObj(slice -> threads.submit(() -> {
                        for (int n = slice; n < tasks.size(); n += 8) {
                            ledger.abort(tasks.get(n));
                        }
                    })).toList();
            for (java.util.concurrent.Future<?> done : finishing) {
                done.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        Task last = create(ledger, spec("echo")).task();
        ledger.abort(last);

        long kept = tasks.stream().filter(task -> ledger.find(task.id()).isPresent()).count();
        assertThat(kept + 1).as("finished tasks kept once the last finish evicted").isEqualTo(retained);
        assertThat(ledger.find(last.id())).isPresent();
        assertThat(ledger.find(tasks.get(0).id())).as("among the first finished").isEmpty();
    }

    @Test
    void finishedTasksOlderThanTheRetentionAreForgotten() {
        TaskLedger ledger = ledger(10, 100, Duration.ofMinutes(10));
        Task old = create(ledger, spec("echo")).task();
        Task unfinished = create(ledger, spec("echo")).task();
        ledger.abort(old);

        clock.advance(Duration.ofMinutes(11));
        ledger.abort(create(ledger, spec("echo")).task());

        assertThat(ledger.find(old.id())).isEmpty();
        assertThat(ledger.find(unfinished.id())).as("unfinished tasks are never forgotten").isPresent();
    }

    @Test
    void listIsNewestFirstFilteredAndLimited() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        Task first = create(ledger, spec("echo")).task();
        clock.advance(Duration.ofMillis(1));
        Task other = create(ledger, spec("other")).task();
        clock.advance(Duration.ofMillis(1));
        Task third = create(ledger, spec("echo")).task();
        ledger.abort(third);

        assertThat(ledger.list(TaskQuery.newest(null, null, 10)).block(WITHIN)).containsExactly(third, other, first);
        assertThat(ledger.list(TaskQuery.newest(null, "echo", 10)).block(WITHIN)).containsExactly(third, first);
        assertThat(ledger.list(TaskQuery.newest(TaskStatus.PENDING, null, 10)).block(WITHIN)).containsExactly(other, first);
        assertThat(ledger.list(TaskQuery.newest(null, null, 1)).block(WITHIN)).containsExactly(third);
    }

    @Test
    void listPagesByCursorInCreationThenIdOrderEitherWayAndWithinATimeRange() {
        TaskLedger ledger = ledger(20, 100, Duration.ofHours(1));
        Instant start = clock.instant();
        List<Task> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // pairs created at the same instant: their ids order them
            created.add(create(ledger, spec("echo")).task());
            if (i % 2 == 1) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        Comparator<Task> oldest = Comparator.comparing(Task::createdAt).thenComparing(Task::id);
        List<Task> oldestFirst = created.stream().sorted(oldest).toList();
        List<Task> newestFirst = created.stream().sorted(oldest.reversed()).toList();

        assertThat(pages(ledger, new TaskQuery(null, null, null, null, null, false, 3))).isEqualTo(newestFirst);
        assertThat(pages(ledger, new TaskQuery(null, null, null, null, null, true, 2))).isEqualTo(oldestFirst);
        // the second second holds the third and fourth tasks
        TaskQuery second = new TaskQuery(null, "echo", start.plusSeconds(1), start.plusSeconds(2), null, true, 10);
        assertThat(ledger.list(second).block(WITHIN)).containsExactlyElementsOf(oldestFirst.subList(2, 4));
        assertThat(ledger.list(TaskQuery.newest(null, "other", 10)).block(WITHIN)).isEmpty();
    }

    /** Every task the query selects, page after page, each from the cursor of the one before. */
    private static List<Task> pages(TaskLedger ledger, TaskQuery query) {
        List<Task> all = new ArrayList<>();
        TaskQuery page = query;
        while (true) {
            List<Task> tasks = ledger.list(page).block(WITHIN);
            assertThat(tasks).hasSizeLessThanOrEqualTo(query.limit());
            if (tasks.isEmpty()) {
                return all;
            }
            all.addAll(tasks);
            Task last = tasks.get(tasks.size() - 1);
            page = query.after(new TaskQuery.Position(last.createdAt(), last.id()));
        }
    }

    @Test
    void watchesBeyondTheLimitAreRefusedUntilOneEnds() {
        TaskLedger ledger = ledger(10, 100, Duration.ofHours(1));
        List<reactor.core.Disposable> open = java.util.stream.IntStream.range(0, 3)
                .mapToObj(n -> ledger.watch(new io.taskwire.messages.WatchFilter(null, "echo")).subscribe())
                .toList();

        StepVerifier.create(ledger.watch(new io.taskwire.messages.WatchFilter(null, "echo")))
                .expectErrorSatisfies(error -> assertThat(((io.taskwire.messages.ProtocolException) error).code())
                        .isEqualTo(io.taskwire.messages.ErrorCode.AT_CAPACITY))
                .verify(WITHIN);
        open.get(0).dispose();
        StepVerifier.create(ledger.watch(new io.taskwire.messages.WatchFilter(null, "echo")))
                .thenCancel().verify(WITHIN);
        open.forEach(reactor.core.Disposable::dispose);
    }

    private TaskLedger ledger(int maxPending, int retainedFinished, Duration retention) {
        TaskProperties properties = new TaskProperties(Duration.ofMinutes(5), Duration.ofHours(24), 3, Duration.ofSeconds(30),
                Duration.ofMinutes(5), maxPending, retainedFinished, retention, List.of(), 100, 3);
        return new TaskLedger(new InMemoryTaskStore(clock),
                new TaskEvents(properties.watchBuffer(), properties.maxWatchers()),
                properties, clock, java.util.List.of(), Duration.ofSeconds(1));
    }

    private static TaskLedger.Created create(TaskLedger ledger, TaskSpec spec) {
        return ledger.create(spec).block(WITHIN);
    }

    private static TaskSpec spec(String type) {
        return TaskSpec.of(type, Json.mapper().createObjectNode().put("n", 1));
    }

    private TaskResult result(TaskAssignment assignment, Outcome outcome) {
        return new TaskResult(assignment.taskId(), assignment.attempt(), "w-1", assignment.fence(), outcome,
                assignment.payload(), null, clock.instant(), clock.instant());
    }
}
