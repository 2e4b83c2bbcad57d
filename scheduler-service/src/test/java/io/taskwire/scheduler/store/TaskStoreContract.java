package io.taskwire.scheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskwire.messages.Json;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import reactor.core.publisher.Mono;

/**
 * What the task store promises, on any database it supports: each subclass runs the same tests on
 * a fresh database of its kind.
 */
abstract class TaskStoreContract {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456Z");

    /** A lease no test outlives. */
    private static final long LONG_LEASE = Duration.ofMinutes(10).toMillis();

    DataSource database;
    TaskRows rows;
    long epoch;
    GroupCommit commits;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** @return a new, empty database */
    abstract DataSource newDatabase();

    @BeforeEach
    void openStore() {
        database = newDatabase();
        TaskRows.migrate(database);
        rows = new TaskRows(database);
        epoch = rows.acquireLead("this", "this:7000", LONG_LEASE).orElseThrow();
        commits = new GroupCommit(rows, 500, meters);
        commits.lead(epoch);
    }

    @AfterEach
    void closeStore() {
        commits.close();
    }

    @Test
    void aTaskReadBackIsTheTaskWrittenPayloadOfOneMebibyteIncluded() {
        ObjectNode payload = Json.mapper().createObjectNode().put("text", "é€😀".repeat(40_000) + "x".repeat(700_000));
        TaskSpec spec = new TaskSpec("report", payload, "order-17", "tenant-3", 60_000L, 5, null,
                new Routing(RoutingStrategy.LEAST_LOADED, null, Map.of("zone", "a")));
        TaskRow written = new TaskRow("t-1", spec, TaskStatus.FAILED, 2, 2, 2, 60_000, 5, "w-1", "7:42", "w-2",
                T0, T0.plusSeconds(1), T0.plusSeconds(2), null, new TaskError("INTERNAL", "disk full", false), "nightly");

        insert(written).block(WITHIN);

        TaskRow read = rows.find("t-1").orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(Json.size(read.spec().payload())).isGreaterThan(1_000_000);
        assertThat(rows.findByIdempotencyKey("order-17")).contains(written);
    }

    @Test
    void theLastStateWrittenIsTheTaskStateWhetherTheWritesShareACommitOrNot() {
        TaskRow pending = pending("t-2", "echo", T0);
        TaskRow dispatched = dispatched(pending, "w-1", "3:1");
        TaskRow succeeded = succeeded(dispatched, T0.plusSeconds(3));

        // queued together: one commit, one row write, the last state
        Mono.when(insert(pending), update(dispatched), update(succeeded)).block(WITHIN);
        assertThat(rows.find("t-2")).contains(succeeded);

        // one at a time: the same
        TaskRow other = pending("t-3", "echo", T0);
        insert(other).block(WITHIN);
        update(dispatched(other, "w-2", "3:2")).block(WITHIN);
        assertThat(rows.find("t-3").orElseThrow().status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(rows.find("t-3").orElseThrow().fence()).isEqualTo("3:2");
    }

    @Test
    void manyRowsOfMixedStatesWrittenInOneTransactionAreEachReadBackAsWritten() {
        // 301 rows in one transaction, nulls and values in every column that has both
        List<TaskRow> created = new ArrayList<>();
        List<TaskRow> changed = new ArrayList<>();
        for (int i = 0; i < 301; i++) {
            TaskRow row = pending("m-" + i, i % 2 == 0 ? "echo" : "report", T0.plusMillis(i), i % 3 == 0 ? "key-" + i : null);
            created.add(row);
            TaskRow next = switch (i % 4) {
                case 0 -> row;
                case 1 -> dispatched(row, "w-" + i, "5:" + i);
                case 2 -> succeeded(dispatched(row, "w-" + i, "5:" + i), T0.plusSeconds(i));
                default -> new TaskRow(row.id(), row.spec(), TaskStatus.FAILED, 3, 3, 3, row.timeoutMs(),
                        row.maxAttempts(), "w-" + i, "5:" + i, "w-x", row.createdAt(), T0.plusSeconds(1),
                        T0.plusSeconds(2), null, new TaskError("TIMEOUT", "ran past " + i, true), null);
            };
            changed.add(next);
        }

        rows.write(created, List.of(), List.of(), epoch);
        rows.write(List.of(), changed, List.of(), epoch);

        for (TaskRow row : changed) {
            assertThat(rows.find(row.id())).contains(row);
        }
        assertThat(rows.count()).isEqualTo(301);
        assertThat(rows.findByIdempotencyKey("key-300").orElseThrow().id()).isEqualTo("m-300");
    }

    @Test
    void concurrentWritersAreAllCommittedAndShareCommits() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Mono<Void>> writes = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        TaskRow row = pending("c-" + thread + "-" + i, "echo", T0.plusMillis(i));
                        writes.add(insert(row).then(update(succeeded(dispatched(row, "w", "1:" + i),
                                T0.plusSeconds(1)))));
                    }
                    Mono.when(writes).block(WITHIN);
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(rows.count()).isEqualTo(threads * perThread);
        assertThat(rows.unfinished()).isEmpty();
        long writes = (long) meters.summary("taskwire.store.commit.writes").totalAmount();
        long commitCount = meters.summary("taskwire.store.commit.writes").count();
        assertThat(writes).isEqualTo(2L * threads * perThread);
        assertThat(commitCount).as("commits shared by several writes").isLessThan(writes);
    }

    @Test
    void listFiltersThatLookLikeSqlAreMatchedAsValuesAndChangeNothing() {
        insert(pending("q-1", "echo", T0)).block(WITHIN);

        assertThat(rows.list(TaskQuery.newest(null, "echo' OR '1'='1", 10))).isEmpty();
        assertThat(rows.list(TaskQuery.newest(null, "echo'; DROP TABLE taskwire_task; --", 10))).isEmpty();
        assertThat(rows.findByIdempotencyKey("x' OR idempotency_key IS NULL OR 'a'='a")).isEmpty();
        assertThat(rows.list(TaskQuery.newest(null, "echo", 10))).extracting(TaskRow::id).containsExactly("q-1");
        assertThat(rows.count()).isEqualTo(1);
    }

    @Test
    void aTransactionThatFailsStoresNoneOfItsWrites() {
        TaskRow first = pending("k-1", "echo", T0, "same-key");
        TaskRow second = pending("k-2", "echo", T0, "same-key");
        TaskRow bystander = pending("k-3", "echo", T0);

        assertThatThrownBy(() -> rows.write(List.of(first, bystander, second), List.of(), List.of(), epoch))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertThat(rows.count()).isZero();
    }

    @Test
    void aScheduleReadBackIsTheScheduleWrittenAndItsChangesAndDeletionAreStored() {
        ScheduleRow created = schedule("nightly", 0, null, null);
        Mono.fromFuture(commits.put(created)).block(WITHIN);
        assertThat(rows.schedules()).containsExactly(created);

        ScheduleRow paused = new ScheduleRow("nightly", created.spec().withPaused(true), true, created.nextFireAt(),
                T0, "t-9", 3, T0.plusSeconds(60), created.createdAt(), T0.plusSeconds(61));
        Mono.fromFuture(commits.put(paused)).block(WITHIN);
        assertThat(rows.schedules()).containsExactly(paused);

        Mono.fromFuture(commits.delete("nightly")).block(WITHIN);
        assertThat(rows.schedules()).isEmpty();
    }

    @Test
    void aFireStoresItsTaskAndTheScheduleRowThatCountsItTogetherOrNeither() {
        Mono.fromFuture(commits.put(schedule("every-minute", 0, null, null))).block(WITHIN);
        TaskRow fired = firedBy("f-1", "every-minute", "schedule:every-minute:2026-12-01T10:01:00.000Z");
        ScheduleRow counted = schedule("every-minute", 1, T0.plusSeconds(60), "f-1");

        Mono.fromFuture(commits.insert(fired, counted)).block(WITHIN);
        assertThat(rows.schedules()).containsExactly(counted);
        assertThat(rows.firedBy("every-minute", 10)).containsExactly(fired);

        TaskRow twice = firedBy("f-2", "every-minute", "schedule:every-minute:2026-12-01T10:01:00.000Z");
        ScheduleRow countedTwice = schedule("every-minute", 2, T0.plusSeconds(60), "f-2");
        assertThatThrownBy(() -> Mono.fromFuture(commits.insert(twice, countedTwice)).block(WITHIN))
                .as("the same fire time's key again").isInstanceOf(DataIntegrityViolationException.class);
        assertThat(rows.schedules()).as("the row that would count it is not written either").containsExactly(counted);
        assertThat(rows.firedBy("every-minute", 10)).extracting(TaskRow::id).containsExactly("f-1");
    }

    @Test
    void aFireQueuedBehindABacklogOfClientsWritesIsCommittedBeforeThem() throws Exception {
        List<List<String>> committed = new CopyOnWriteArrayList<>();
        TaskRows recording = new TaskRows(database) {
            @Override
            void write(List<TaskRow> inserts, List<TaskRow> updates, List<GroupCommit.ScheduleWrite> schedules, long epoch) {
                super.write(inserts, updates, schedules, epoch);
                committed.add(inserts.stream().map(TaskRow::id).toList());
            }
        };
        commits.close();
        commits = new GroupCommit(recording, 500, meters);
        commits.lead(epoch);
        Mono.fromFuture(commits.put(schedule("urgent", 0, null, null))).block(WITHIN);
        CompletableFuture<Void> fire;
        List<CompletableFuture<Void>> backlog = new ArrayList<>();
        try (Connection blocker = database.getConnection()) {
            // the lead's row locked: the writer waits in the commit of the first write until released
            blocker.setAutoCommit(false);
            blocker.createStatement().executeUpdate("UPDATE taskwire_leader SET epoch = epoch WHERE id = 1");
            backlog.add(commits.insert(pending("b-0", "echo", T0)));
            await().atMost(WITHIN).until(() -> commits.queued() == 0);
            for (int i = 1; i <= 600; i++) {
                backlog.add(commits.insert(pending("b-" + i, "echo", T0)));
            }
            fire = commits.insert(firedBy("u-1", "urgent", "schedule:urgent:2026-12-01T10:01:00.000Z"),
                    schedule("urgent", 1, T0.plusSeconds(60), "u-1"));
            blocker.commit();
        }
        CompletableFuture.allOf(backlog.toArray(CompletableFuture[]::new)).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        fire.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        List<String> order = committed.stream().flatMap(List::stream).toList();
        assertThat(order.indexOf("u-1"))
                .as("the fire, queued after 600 clients' writes (more than one commit holds), committed before the last")
                .isLessThan(order.indexOf("b-600"));
        assertThat(committed.stream().filter(ids -> ids.contains("u-1")).findFirst().orElseThrow().get(0))
                .as("first of its commit").isEqualTo("u-1");
        assertThat(rows.count()).isEqualTo(602);
        assertThat(rows.schedules()).extracting(ScheduleRow::lastTaskId).containsExactly("u-1");
    }

    @Test
    void aFireIsAnnouncedWhileTheClientsAnnouncementsAreBusy() throws Exception {
        Mono.fromFuture(commits.put(schedule("announced", 0, null, null))).block(WITHIN);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> client;
        try (Connection blocker = database.getConnection()) {
            // the writer held in the commit, so that the callback is in place before the write completes
            blocker.setAutoCommit(false);
            blocker.createStatement().executeUpdate("UPDATE taskwire_leader SET epoch = epoch WHERE id = 1");
            client = commits.insert(pending("c-1", "echo", T0)).thenRun(() -> {
                // what answers a client runs here; this one does not finish until released
                busy.countDown();
                try {
                    release.await(WITHIN.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocker.commit();
        }
        try {
            assertThat(busy.await(WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> fire = commits.insert(firedBy("a-1", "announced", "schedule:announced:k"),
                    schedule("announced", 1, T0, "a-1"));

            fire.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(client).as("the client's announcement still busy").isNotDone();
        } finally {
            release.countDown();
        }
        client.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aDeposedLeadersFireChangesNothing() {
        Mono.fromFuture(commits.put(schedule("fenced", 0, null, null))).block(WITHIN);
        rows.releaseLead("this", epoch);
        rows.acquireLead("other", "other:7000", LONG_LEASE).orElseThrow();

        assertThatThrownBy(() -> Mono.fromFuture(commits.insert(firedBy("x-1", "fenced", "schedule:fenced:k"),
                schedule("fenced", 1, T0, "x-1"))).block(WITHIN)).isInstanceOf(LeadLostException.class);

        assertThat(rows.schedules()).extracting(ScheduleRow::fired).containsExactly(0L);
        assertThat(rows.count()).isZero();
    }

    @Test
    void aFailedCommitFailsItsWritesAndTheStoreGoesOn() {
        TaskRow stored = pending("f-1", "echo", T0);
        insert(stored).block(WITHIN);

        assertThatThrownBy(() -> insert(pending("f-1", "echo", T0.plusSeconds(1))).block(WITHIN))
                .isInstanceOf(DataIntegrityViolationException.class);
        TaskRow next = pending("f-2", "echo", T0);
        insert(next).block(WITHIN);

        assertThat(rows.find("f-1")).contains(stored);
        assertThat(rows.find("f-2")).contains(next);
        assertThat(meters.timer("taskwire.store.commit").count()).isEqualTo(3);
        assertThat(meters.summary("taskwire.store.commit.writes").count()).as("successful commits").isEqualTo(2);
    }

    @Test
    void unfinishedTasksAreThoseNotYetFinalOldestFirst() {
        TaskRow older = pending("u-1", "echo", T0);
        TaskRow running = dispatched(pending("u-2", "echo", T0.plusSeconds(1)), "w-1", "4:1");
        TaskRow done = succeeded(dispatched(pending("u-3", "echo", T0.plusSeconds(2)), "w-1", "4:2"), T0.plusSeconds(3));
        Mono.when(insert(running), insert(done), insert(older)).block(WITHIN);

        assertThat(rows.unfinished()).containsExactly(older, running);
    }

    @Test
    void listsFilterByStatusAndTypeNewestFirstAndFiltersThatLookLikeSqlAreOnlyValues() {
        for (int i = 0; i < 6; i++) {
            TaskRow row = pending("l-" + i, i % 2 == 0 ? "even" : "odd", T0.plusSeconds(i));
            insert(i < 4 ? row : succeeded(dispatched(row, "w", "5:" + i), T0.plusSeconds(10))).block(WITHIN);
        }

        assertThat(rows.list(TaskQuery.newest(null, null, 3))).extracting(TaskRow::id).containsExactly("l-5", "l-4", "l-3");
        assertThat(rows.list(TaskQuery.newest(TaskStatus.PENDING, "even", 10))).extracting(TaskRow::id).containsExactly("l-2", "l-0");
        assertThat(rows.list(TaskQuery.newest(TaskStatus.SUCCEEDED, null, 10))).extracting(TaskRow::id).containsExactly("l-5", "l-4");
        assertThat(rows.list(TaskQuery.newest(null, "even' OR '1'='1", 10))).isEmpty();
        assertThat(rows.list(TaskQuery.newest(null, "x'; DROP TABLE taskwire_task; --", 10))).isEmpty();
        assertThat(rows.count()).isEqualTo(6);
    }

    @Test
    void listsPageByCursorThroughTiesInCreationThenIdOrderEitherWayAndWithinATimeRange() {
        // c-0 .. c-6, created in pairs at the same microsecond, inserted out of order
        for (int i : new int[] {4, 0, 6, 2, 5, 1, 3}) {
            insert(pending("c-" + i, "echo", T0.plusSeconds(i / 2).plusNanos(1_000))).block(WITHIN);
        }
        insert(pending("other", "other", T0)).block(WITHIN);

        TaskQuery newest = new TaskQuery(null, "echo", null, null, null, false, 3);
        assertThat(pages(newest)).containsExactly("c-6", "c-5", "c-4", "c-3", "c-2", "c-1", "c-0");
        TaskQuery oldest = new TaskQuery(null, "echo", null, null, null, true, 2);
        assertThat(pages(oldest)).containsExactly("c-0", "c-1", "c-2", "c-3", "c-4", "c-5", "c-6");
        TaskQuery secondSecond = new TaskQuery(null, null, T0.plusSeconds(1), T0.plusSeconds(2), null, true, 10);
        assertThat(rows.list(secondSecond)).extracting(TaskRow::id).containsExactly("c-2", "c-3");
        // a cursor's id is a value, never SQL
        TaskQuery hostile = newest.after(new TaskQuery.Position(T0.plusSeconds(9), "x' OR '1'='1"));
        assertThat(rows.list(hostile)).extracting(TaskRow::id).containsExactly("c-6", "c-5", "c-4");
    }

    /** The ids of every task the query selects, page after page, each from the cursor of the one before. */
    private List<String> pages(TaskQuery query) {
        List<String> ids = new ArrayList<>();
        TaskQuery page = query;
        for (List<TaskRow> found = rows.list(page); !found.isEmpty(); found = rows.list(page)) {
            assertThat(found).hasSizeLessThanOrEqualTo(query.limit());
            found.forEach(row -> ids.add(row.id()));
            TaskRow last = found.get(found.size() - 1);
            page = query.after(new TaskQuery.Position(last.createdAt(), last.id()));
        }
        return ids;
    }

    @Test
    void schedulersSayTheyAreUpOnTheDatabasesClockAndAreForgottenWhenTheyStopOrLongUnseen() {
        rows.seen("holder-a", "a.example:7000", "STANDBY");
        rows.seen("holder-b", "b.example:7000", "STANDBY");
        rows.seen("holder-a", "a.example:7000", "LEADER");

        assertThat(rows.schedulers()).extracting(SchedulerSeen::holder, SchedulerSeen::role)
                .containsExactly(tuple("holder-a", "LEADER"), tuple("holder-b", "STANDBY"));
        assertThat(rows.schedulers()).allSatisfy(seen -> assertThat(seen.age()).isBetween(Duration.ofSeconds(-1),
                Duration.ofSeconds(30)));

        rows.forgetSchedulers("holder-b", Duration.ofHours(1));
        assertThat(rows.schedulers()).extracting(SchedulerSeen::holder).containsExactly("holder-a");
        rows.forgetSchedulers("", Duration.ZERO.minusSeconds(1));
        assertThat(rows.schedulers()).as("unseen for longer than -1 s: every row").isEmpty();
    }

    @Test
    void retentionDeletesFinishedTasksByAgeAndByCountInBatchesAndNeverAnUnfinishedOne() {
        for (int i = 0; i < 10; i++) {
            TaskRow row = pending("r-" + i, "echo", T0.plusSeconds(i));
            insert(succeeded(dispatched(row, "w", "6:" + i), T0.plusSeconds(100 + i))).block(WITHIN);
        }
        insert(pending("r-open", "echo", T0)).block(WITHIN);

        // by age: those finished before T0+104 s, at most 3 a batch
        assertThat(rows.deleteFinishedBefore(T0.plusSeconds(104), 3)).isEqualTo(3);
        assertThat(rows.deleteFinishedBefore(T0.plusSeconds(104), 3)).isEqualTo(1);
        assertThat(rows.deleteFinishedBefore(T0.plusSeconds(104), 3)).isZero();
        assertThat(rows.find("r-3")).isEmpty();
        assertThat(rows.find("r-4")).isPresent();

        // by count: keep the newest 2 finished, at most 3 a batch
        assertThat(rows.deleteFinishedBeyond(2, 3)).isEqualTo(3);
        assertThat(rows.deleteFinishedBeyond(2, 3)).isEqualTo(1);
        assertThat(rows.deleteFinishedBeyond(2, 3)).isZero();
        assertThat(rows.list(TaskQuery.newest(TaskStatus.SUCCEEDED, null, 10))).extracting(TaskRow::id).containsExactly("r-9", "r-8");
        assertThat(rows.find("r-open")).isPresent();
    }

    @Test
    void theLeadIsOneHoldersAtATimeAndPassesOnWithAGreaterEpochWhenGivenUpOrExpired() {
        assertThat(rows.acquireLead("other", "other:7000", LONG_LEASE)).as("held by this, its lease runs").isEmpty();
        assertThat(rows.currentLead()).contains(new Lead("this", "this:7000", epoch));
        assertThat(rows.renewLead("this", epoch, LONG_LEASE)).isTrue();

        rows.releaseLead("this", epoch);
        long other = rows.acquireLead("other", "other:7000", 1).orElseThrow();
        assertThat(other).isEqualTo(epoch + 1);
        assertThat(rows.renewLead("this", epoch, LONG_LEASE)).as("this no longer leads").isFalse();

        // the other's lease of 1 ms expires on the database's clock: the lead can be taken again
        await().atMost(WITHIN).until(() -> rows.acquireLead("third", "third:7000", LONG_LEASE).isPresent());
        assertThat(rows.currentLead()).contains(new Lead("third", "third:7000", other + 1));
        assertThat(rows.renewLead("other", other, LONG_LEASE)).isFalse();
    }

    @Test
    void aRunningLeaseHasNotLapsedAndOneGivenUpOrExpiredHasForAsLongAsTheDatabaseClockSays() {
        assertThat(rows.leaseLapsedFor()).as("this holds the lead, its lease runs").isEmpty();

        rows.releaseLead("this", epoch);
        assertThat(rows.leaseLapsedFor()).hasValueSatisfying(lapsed ->
                assertThat(lapsed).isBetween(Duration.ZERO, WITHIN));

        long other = rows.acquireLead("other", "other:7000", 1).orElseThrow();
        await().atMost(WITHIN).until(() -> rows.leaseLapsedFor().isPresent());
        Duration first = rows.leaseLapsedFor().orElseThrow();
        await().atMost(WITHIN).until(() -> rows.leaseLapsedFor().orElseThrow().compareTo(first.plusMillis(20)) > 0);
        assertThat(rows.renewLead("other", other, LONG_LEASE)).as("nobody took it meanwhile").isTrue();
        assertThat(rows.leaseLapsedFor()).as("renewed").isEmpty();
    }

    @Test
    void ofTwentySchedulersAskingForTheLeadAtOnceExactlyOneGetsIt() throws Exception {
        rows.releaseLead("this", epoch);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<OptionalLong>> asked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String holder = "s-" + i;
                asked.add(pool.submit(() -> {
                    start.await();
                    return rows.acquireLead(holder, holder + ":7000", LONG_LEASE);
                }));
            }
            start.countDown();
            List<Long> taken = new ArrayList<>();
            for (Future<OptionalLong> answer : asked) {
                answer.get().ifPresent(taken::add);
            }
            assertThat(taken).containsExactly(epoch + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWritesOfASchedulerWhoseLeadWasTakenChangeNothing() {
        TaskRow row = pending("f-1", "echo", T0);
        insert(row).block(WITHIN);
        rows.releaseLead("this", epoch);
        rows.acquireLead("standby", "standby:7000", LONG_LEASE).orElseThrow();

        assertThatThrownBy(() -> update(dispatched(row, "w-1", epoch + ":1")).block(WITHIN))
                .isInstanceOf(LeadLostException.class)
                .hasMessageContaining("another scheduler took the lead");
        assertThatThrownBy(() -> insert(pending("f-2", "echo", T0)).block(WITHIN)).isNotNull();
        assertThat(rows.find("f-1")).contains(row);
        assertThat(rows.find("f-2")).isEmpty();
    }

    @Test
    void theEpochIsKeptAcrossRestarts() {
        commits.close();

        TaskRows.migrate(database); // a restart: migrating again changes nothing
        TaskRows restarted = new TaskRows(database);
        restarted.releaseLead("this", epoch);
        long next = restarted.acquireLead("restarted", "this:7000", LONG_LEASE).orElseThrow();
        commits = new GroupCommit(restarted, 500, meters);
        commits.lead(next);

        assertThat(next).isEqualTo(epoch + 1);
        insert(pending("e-1", "echo", T0)).block(WITHIN);
    }

    @Test
    void whatWasCommittedIsThereAfterARestartAndAClosedStoreRefusesWrites() {
        TaskRow row = pending("s-1", "echo", T0);
        insert(row).block(WITHIN);
        commits.close();

        assertThatThrownBy(() -> insert(pending("s-2", "echo", T0)).block(WITHIN))
                .hasMessageContaining("closed");
        TaskRows.migrate(database);
        assertThat(new TaskRows(database).unfinished()).containsExactly(row);
        commits = new GroupCommit(rows, 500, meters);
        commits.lead(epoch);
    }

    /** Queues the write; the Mono completes when it is committed. */
    private Mono<Void> insert(TaskRow row) {
        return Mono.fromFuture(commits.insert(row));
    }

    private Mono<Void> update(TaskRow row) {
        return Mono.fromFuture(commits.update(row));
    }

    static TaskRow pending(String id, String type, Instant createdAt) {
        return pending(id, type, createdAt, null);
    }

    static ScheduleRow schedule(String id, long fired, Instant lastFireAt, String lastTaskId) {
        ScheduleSpec spec = new ScheduleSpec(id, "0 2 * * *", null, "Europe/Berlin",
                TaskSpec.of("report", Json.mapper().createObjectNode().put("day", "yesterday")), MisfirePolicy.FIRE_ALL,
                OverlapPolicy.BUFFER_ONE, T0.minusSeconds(3600), null, 500L, null);
        return new ScheduleRow(id, spec, false, T0.plusSeconds(86_400).truncatedTo(ChronoUnit.MICROS),
                lastFireAt == null ? null : lastFireAt.truncatedTo(ChronoUnit.MICROS), lastTaskId, fired, null,
                T0.truncatedTo(ChronoUnit.MICROS), T0.plusSeconds(fired).truncatedTo(ChronoUnit.MICROS));
    }

    static TaskRow firedBy(String id, String scheduleId, String key) {
        TaskRow row = pending(id, "report", T0, key);
        return new TaskRow(row.id(), row.spec(), row.status(), 0, 0, 0, row.timeoutMs(), row.maxAttempts(), null, null,
                null, row.createdAt(), null, null, null, null, scheduleId);
    }

    static TaskRow pending(String id, String type, Instant createdAt, String idempotencyKey) {
        JsonNode payload = Json.mapper().createObjectNode().put("n", id);
        TaskSpec spec = new TaskSpec(type, payload, idempotencyKey, null, null, null, null, null);
        return new TaskRow(id, spec, TaskStatus.PENDING, 0, 0, 0, 300_000, 3, null, null, null,
                createdAt.truncatedTo(ChronoUnit.MICROS), null, null, null, null, null);
    }

    static TaskRow dispatched(TaskRow row, String worker, String fence) {
        return new TaskRow(row.id(), row.spec(), TaskStatus.DISPATCHED, row.attempt() + 1, row.attemptsSpent(),
                row.recordedAttempt(), row.timeoutMs(), row.maxAttempts(), worker, fence, null, row.createdAt(),
                row.createdAt().plusMillis(5), null, null, null, row.scheduleId());
    }

    static TaskRow succeeded(TaskRow row, Instant at) {
        return new TaskRow(row.id(), row.spec(), TaskStatus.SUCCEEDED, row.attempt(), row.attemptsSpent(),
                row.attempt(), row.timeoutMs(), row.maxAttempts(), row.workerId(), row.fence(), null,
                row.createdAt(), row.startedAt(), at, Json.mapper().createObjectNode().put("ok", true), null,
                row.scheduleId());
    }
}
