package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.faults.ScheduleFires.Fired;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule firing every second ({@code everyMs} 1,000, misfire {@code FIRE_ONCE}, overlap
 * {@code ALLOW}, task type {@code echo} of a real worker process) through a {@code kill -9} of the
 * scheduler that fires it (PROTOCOL.md sections 7 and 8):
 * <ul>
 *   <li>two scheduler processes on one PostgreSQL database: the leader is killed, the standby takes
 *       the lead and goes on firing;</li>
 *   <li>one scheduler process on the embedded H2 file store: killed, and started again on the same
 *       files.</li>
 * </ul>
 * Afterwards every task the schedule fired is read from the store, with the fire time its
 * idempotency key names (no part of the API shows a task's fire time), and checked against the
 * tasks list of the HTTP API and the schedule's view: each fire time made at most one task; the
 * fire times missed while no scheduler fired came to exactly one task, for the first of them, and
 * the schedule went on from the next fire time after that; {@code fired} counts the tasks; every
 * task succeeded.
 */
class ScheduleTakeoverTest {

    private static final String SCHEDULE_ID = "every-second";
    private static final long EVERY_MS = 1_000;
    private static final String SPEC = """
            {"everyMs": 1000, "misfire": "FIRE_ONCE", "overlap": "ALLOW",
             "task": {"type": "echo", "payload": {"from": "schedule-takeover-test"}}}""";
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path data;

    private final Closer closer = new Closer();
    /** Every view of the schedule a wait read, and which scheduler process answered it. */
    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    /**
     * The leader fires for 20 s and gets {@code kill -9} (at a random point of the second); the
     * standby takes over and fires until the fire time 35 s after the schedule's creation.
     */
    @Test
    void aScheduleFiresEachSecondAtMostOnceThroughAKillNineOfTheLeader() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase();
        String[] store = database.schedulerArguments().toArray(String[]::new);
        int[] leaderPorts = SchedulerProcess.freePorts();
        int[] standbyPorts = SchedulerProcess.freePorts();
        SchedulerProcess leader = closer.add(SchedulerProcess.start("schedule-takeover-a", leaderPorts,
                with(store, leaderPorts)));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> leader.readiness() == 200);
        closer.add(WorkerProcess.start("schedule-takeover-w1", 4, leaderPorts[0],
                "--taskwire.worker.scheduler.addresses=127.0.0.1:" + leaderPorts[0] + ",127.0.0.1:" + standbyPorts[0]));
        leader.awaitWorkersOnline(1);

        ScheduleView created = ScheduleFires.put(leader, SCHEDULE_ID, SPEC);
        Instant anchor = created.createdAt();
        long testStart = System.nanoTime();
        // the standby starts while the schedule fires on the leader
        SchedulerProcess standby = closer.add(SchedulerProcess.start("schedule-takeover-b", standbyPorts,
                with(store, standbyPorts)));
        assertThat(standby.readiness()).as("the second scheduler is a standby").isEqualTo(503);
        awaitFireTime(leader, "leader", anchor.plusSeconds(19));
        long killOffsetMs = awaitKillPoint(anchor.plusSeconds(20));

        Instant killedAt = Instant.now();
        long killedNanos = System.nanoTime();
        leader.kill9();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> standby.readiness() == 200);
        long takeoverMs = (System.nanoTime() - killedNanos) / 1_000_000;
        ScheduleView running = awaitFireTime(standby, "standby", anchor.plusSeconds(35));
        ScheduleView last = stopAndAwaitTasksFinal(standby);
        long runMs = (System.nanoTime() - testStart) / 1_000_000;

        List<TaskView> listed = ScheduleFires.listed(standby, SCHEDULE_ID);
        List<Fired> fired = ScheduleFires.firedBy(database.dataSource(), SCHEDULE_ID);
        Map<String, Object> figures = assertEachFireTimeOnceAndTheMissedOnesOnce(fired, listed, last, running, anchor,
                killedAt, "leader", 0); // a 2 s lease renewed every 500 ms: the standby may miss only one
        figures.put("kill_ms_after_fire_time", killOffsetMs);
        figures.put("kill_to_standby_ready_ms", takeoverMs);
        figures.put("schedule_run_ms", runMs);
        Figures.record("schedule-takeover", figures);
    }

    /**
     * One scheduler on the embedded H2 file store fires for 10 s and gets {@code kill -9} (at a
     * random point of the second); a new process on the same files (its start takes seconds, in
     * which fire times are missed) fires until the fire time 22 s after the schedule's creation.
     */
    @Test
    void aScheduleFiresEachSecondAtMostOnceThroughAKillNineAndARestartOnH2() throws Exception {
        int[] ports = SchedulerProcess.freePorts();
        String url = "jdbc:h2:file:" + data.resolve("taskwire") + ";WRITE_DELAY=0";
        String[] store = {"--spring.datasource.url=" + url, "--spring.datasource.username=sa"};
        SchedulerProcess first = closer.add(SchedulerProcess.start("schedule-restart-1", ports, store));
        closer.add(WorkerProcess.start("schedule-restart-w1", 4, ports[0]));
        first.awaitWorkersOnline(1);

        ScheduleView created = ScheduleFires.put(first, SCHEDULE_ID, SPEC);
        Instant anchor = created.createdAt();
        long testStart = System.nanoTime();
        awaitFireTime(first, "first", anchor.plusSeconds(9));
        long killOffsetMs = awaitKillPoint(anchor.plusSeconds(10));

        Instant killedAt = Instant.now();
        long killedNanos = System.nanoTime();
        first.kill9();
        SchedulerProcess second = closer.add(SchedulerProcess.start("schedule-restart-2", ports, store));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> second.readiness() == 200);
        long downMs = (System.nanoTime() - killedNanos) / 1_000_000;
        ScheduleView running = awaitFireTime(second, "second", anchor.plusSeconds(22));
        ScheduleView last = stopAndAwaitTasksFinal(second);
        long runMs = (System.nanoTime() - testStart) / 1_000_000;
        List<TaskView> listed = ScheduleFires.listed(second, SCHEDULE_ID);

        // the embedded database is the process's own: the test reads its files once the process is gone
        second.kill9();
        JdbcDataSource files = new JdbcDataSource();
        files.setURL(url);
        files.setUser("sa");
        files.setPassword("");
        List<Fired> fired = ScheduleFires.firedBy(files, SCHEDULE_ID);
        Map<String, Object> figures = assertEachFireTimeOnceAndTheMissedOnesOnce(fired, listed, last, running, anchor,
                killedAt, "first", 1); // a start takes seconds
        figures.put("kill_ms_after_fire_time", killOffsetMs);
        figures.put("kill_to_restarted_ready_ms", downMs);
        figures.put("schedule_run_ms", runMs);
        Figures.record("schedule-restart-h2", figures);
    }

    /**
     * Waits until the schedule has fired for the given fire time (or a later one); this is wall-clock
     * time passing, as a condition on the schedule's view. Every view read is kept.
     */
    private ScheduleView awaitFireTime(SchedulerProcess scheduler, String who, Instant fireTime) {
        return await().atMost(Duration.between(Instant.now(), fireTime).plus(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    ScheduleView view = ScheduleFires.get(scheduler, SCHEDULE_ID);
                    samples.add(new Sample(who, view));
                    return view;
                }, view -> view.lastFireAt() != null && !view.lastFireAt().isBefore(fireTime));
    }

    /**
     * Waits for a moment a random number of milliseconds (0 to 999) after the given fire time, so
     * that runs kill the scheduler at any point of a second: before, during or after the fire's commit.
     *
     * @return how many milliseconds after the fire time the kill is aimed at
     */
    private static long awaitKillPoint(Instant fireTime) {
        long offsetMs = ThreadLocalRandom.current().nextLong(EVERY_MS);
        Instant killAt = fireTime.plusMillis(offsetMs);
        await().atMost(Duration.between(Instant.now(), killAt).plusSeconds(2)).pollInterval(Duration.ofMillis(2))
                .until(() -> !Instant.now().isBefore(killAt));
        return offsetMs;
    }

    /** Pauses the schedule, so that it fires no more, and waits until every task it fired is final. */
    private static ScheduleView stopAndAwaitTasksFinal(SchedulerProcess scheduler) throws Exception {
        ScheduleView paused = ScheduleFires.pause(scheduler, SCHEDULE_ID);
        assertThat(paused.paused()).isTrue();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(ScheduleFires.listed(scheduler, SCHEDULE_ID)).as("tasks the schedule fired")
                        .isNotEmpty()
                        .allSatisfy(view -> assertThat(view.status().isFinal()).as("task %s is final", view).isTrue()));
        ScheduleView last = ScheduleFires.get(scheduler, SCHEDULE_ID);
        assertThat(last.fired()).as("a paused schedule fires no more").isEqualTo(paused.fired());
        return last;
    }

    /**
     * What the store holds, against the API and the misfire policy.
     *
     * @param fired every task the schedule fired, from the store
     * @param listed the tasks of the schedule in the HTTP API's tasks list
     * @param last the schedule's view at the end (paused)
     * @param running a view of the schedule while it was firing on the scheduler that took over
     * @param anchor the schedule's creation time: its first fire time, from which the others count
     * @param killedAt just before the {@code kill -9}
     * @param killed the name, in {@link #samples}, of the process that was killed
     * @param minCollapsed the fewest fire times, besides the catch-up's own, that the time down must have missed
     * @return figures to record
     */
    private Map<String, Object> assertEachFireTimeOnceAndTheMissedOnesOnce(List<Fired> fired, List<TaskView> listed,
            ScheduleView last, ScheduleView running, Instant anchor, Instant killedAt, String killed, long minCollapsed) {
        String table = fired.stream().map(task -> "  " + task.fireAt() + " created " + task.createdAt() + " "
                + task.status() + " " + task.taskId()).collect(Collectors.joining("\n", "\n", "\n"));

        // the API's tasks list and the store agree on which tasks the schedule fired; it counts them all
        assertThat(listed.stream().map(TaskView::taskId).collect(Collectors.toSet()))
                .as("the schedule's tasks in GET /api/v1/tasks, against the store:%s", table)
                .isEqualTo(fired.stream().map(Fired::taskId).collect(Collectors.toSet()));
        assertThat(last.fired()).as("the schedule's 'fired' against its tasks:%s", table).isEqualTo(fired.size());

        // each fire time is one of the schedule's own, anchor + k s, and made at most one task
        Map<Long, List<Fired>> byIndex = new TreeMap<>();
        for (Fired task : fired) {
            long sinceAnchor = Duration.between(anchor, task.fireAt()).toMillis();
            assertThat(sinceAnchor >= 0 && sinceAnchor % EVERY_MS == 0)
                    .as("fire time %s of task %s is a fire time of the schedule (%s + k * %d ms)", task.fireAt(),
                            task.taskId(), anchor, EVERY_MS).isTrue();
            byIndex.computeIfAbsent(sinceAnchor / EVERY_MS, index -> new ArrayList<>()).add(task);
        }
        assertThat(byIndex.values().stream().filter(tasks -> tasks.size() > 1).toList())
                .as("fire times that made more than one task:%s", table).isEmpty();
        assertThat(fired).as("no task made before its fire time").allSatisfy(task ->
                assertThat(task.createdAt()).as("task %s for %s", task.taskId(), task.fireAt())
                        .isAfterOrEqualTo(task.fireAt()));

        // the fire times: 0..a made before the kill, a+1 (= m) the catch-up after it, then j..K on time
        // again; the ones between m and j (none, when only one fire time was missed) collapsed into m
        List<Long> indices = List.copyOf(byIndex.keySet());
        assertThat(indices.get(0)).as("the first fire is at the schedule's creation").isZero();
        List<String> holes = new ArrayList<>();
        for (int i = 1; i < indices.size(); i++) {
            if (indices.get(i) != indices.get(i - 1) + 1) {
                holes.add(fireTime(anchor, indices.get(i - 1)) + " .. " + fireTime(anchor, indices.get(i)));
            }
        }
        assertThat(holes).as("gaps in the fire times (only fire times missed during the kill may be missing):%s", table)
                .hasSizeLessThanOrEqualTo(1);
        // made before or after the kill: the scheduler's clock and the test's are the same machine's
        List<Fired> before = fired.stream().filter(task -> task.createdAt().isBefore(killedAt))
                .sorted(Comparator.comparing(Fired::fireAt)).toList();
        List<Fired> after = fired.stream().filter(task -> !task.createdAt().isBefore(killedAt))
                .sorted(Comparator.comparing(Fired::fireAt)).toList();
        assertThat(before).as("tasks made before the kill at %s:%s", killedAt, table).isNotEmpty();
        assertThat(after).as("tasks made after the kill at %s:%s", killedAt, table).hasSizeGreaterThan(1);
        Fired once = after.get(0);
        Fired onTimeAgain = after.get(1);
        long m = Duration.between(anchor, once.fireAt()).toMillis() / EVERY_MS;
        long j = Duration.between(anchor, onTimeAgain.fireAt()).toMillis() / EVERY_MS;
        assertThat(before.get(before.size() - 1).fireAt()).as("the killed process's fires came before the catch-up")
                .isBefore(once.fireAt());
        // the first task made after the kill is the FIRE_ONCE one, for the first fire time the killed
        // process had not stored (the one just before or just after the kill)
        assertThat(m).as("the catch-up task's fire time follows the last one stored before the kill:%s", table)
                .isEqualTo(Duration.between(anchor, before.get(before.size() - 1).fireAt()).toMillis() / EVERY_MS + 1);
        assertThat(once.fireAt()).as("the catch-up task is for the first fire time not stored before the kill at %s",
                killedAt).isBetween(killedAt.minusMillis(2 * EVERY_MS), killedAt.plusMillis(EVERY_MS));
        // every fire time it stands for had passed when the catch-up ran, and none after it was left out
        assertThat(fireTime(anchor, j - 1)).as("the last fire time collapsed into the catch-up task had passed when it"
                + " was made at %s:%s", once.createdAt(), table).isBeforeOrEqualTo(once.createdAt());
        assertThat(fireTime(anchor, j)).as("the first fire time after the catch-up at %s fired on its own:%s",
                once.createdAt(), table).isAfter(once.createdAt().minusMillis(500));
        // between the kill and the first fire on time after it, exactly one task was made
        assertThat(fired.stream().filter(task -> task.createdAt().isAfter(killedAt)
                        && task.createdAt().isBefore(onTimeAgain.createdAt())).map(Fired::taskId).toList())
                .as("tasks made between the kill and the first fire on time after it (FIRE_ONCE: one):%s", table)
                .containsExactly(once.taskId());
        long collapsed = j - m - 1;
        long downSeconds = (Duration.between(killedAt, once.createdAt()).toMillis() + EVERY_MS - 1) / EVERY_MS;
        assertThat(collapsed).as("fire times missed besides the one the catch-up fired, while down for %d s", downSeconds)
                .isBetween(minCollapsed, downSeconds + 1);

        // the count against the elapsed fire times
        long elapsed = indices.get(indices.size() - 1);
        assertThat((long) fired.size()).as("tasks, against %d s of fire times", elapsed)
                .isLessThanOrEqualTo(elapsed + 1)
                .isGreaterThanOrEqualTo(elapsed + 1 - (downSeconds + 2))
                .isEqualTo(elapsed + 1 - collapsed);

        // every task ended, and succeeded
        assertThat(fired).as("every task the schedule fired, in the store:%s", table)
                .allSatisfy(task -> assertThat(task.status()).as("task %s", task.taskId()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(listed).as("every task the schedule fired, in the API").allSatisfy(view ->
                assertThat(view.status()).as("task %s", view.taskId()).isEqualTo(TaskStatus.SUCCEEDED));

        // the schedule's view: its last fire, its recent tasks (newest first), its next fire times
        Fired newest = byIndex.get(elapsed).get(0);
        assertThat(last.lastFireAt()).as("lastFireAt").isEqualTo(newest.fireAt());
        assertThat(last.lastTaskId()).as("lastTaskId").isEqualTo(newest.taskId());
        List<String> newestTen = fired.stream().sorted(Comparator.comparing(Fired::fireAt).reversed()).limit(10)
                .map(Fired::taskId).toList();
        assertThat(last.recentTasks()).as("recentTasks").extracting(TaskView::taskId).containsExactlyElementsOf(newestTen);
        assertThat(last.recentTasks()).allSatisfy(view -> assertThat(view.scheduleId()).isEqualTo(SCHEDULE_ID));
        assertThat(running.nextFireTimes()).as("nextFireTimes while firing").hasSize(5).satisfies(times -> {
            assertThat(times.get(0)).isEqualTo(running.nextFireAt()).isAfter(running.lastFireAt());
            for (int i = 0; i < times.size(); i++) {
                assertThat(Duration.between(anchor, times.get(i)).toMillis() % EVERY_MS).isZero();
                if (i > 0) {
                    assertThat(Duration.between(times.get(i - 1), times.get(i))).isEqualTo(Duration.ofMillis(EVERY_MS));
                }
            }
        });

        // the views read while it fired agree with the store: last fire and count
        Map<String, Fired> byId = fired.stream().collect(Collectors.toMap(Fired::taskId, Function.identity()));
        List<Sample> unstored = new ArrayList<>();
        for (Sample sample : samples) {
            ScheduleView view = sample.view();
            if (view.lastTaskId() == null) {
                continue;
            }
            Fired task = byId.get(view.lastTaskId());
            if (task == null) {
                unstored.add(sample);
                continue;
            }
            assertThat(view.lastFireAt()).as("lastFireAt shown by the %s with lastTaskId %s", sample.who(),
                    view.lastTaskId()).isEqualTo(task.fireAt());
            assertThat(view.fired()).as("fired shown by the %s with lastFireAt %s", sample.who(), view.lastFireAt())
                    .isEqualTo(fired.stream().filter(other -> !other.fireAt().isAfter(task.fireAt())).count());
        }
        // a view shows a fire before its commit: only the killed process's last view may name a task it never stored
        List<Sample> fromKilled = samples.stream().filter(sample -> sample.who().equals(killed)).toList();
        assertThat(unstored).as("views naming a task the store does not hold")
                .allSatisfy(sample -> assertThat(sample).isSameAs(fromKilled.get(fromKilled.size() - 1)));
        for (String who : samples.stream().map(Sample::who).collect(Collectors.toCollection(LinkedHashSet::new))) {
            List<Long> counts = samples.stream().filter(sample -> sample.who().equals(who))
                    .map(sample -> sample.view().fired()).toList();
            assertThat(counts).as("fired, as the %s showed it over time", who).isSorted();
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tasks", fired.size());
        figures.put("fire_times_elapsed", elapsed + 1);
        figures.put("missed_collapsed", collapsed);
        figures.put("catch_up_task_after_kill_ms", Duration.between(killedAt, once.createdAt()).toMillis());
        figures.put("catch_up_task_lag_ms", once.lag().toMillis());
        figures.put("max_on_time_lag_ms", fired.stream().filter(task -> task != once).map(Fired::lag)
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO).toMillis());
        figures.put("views_read", samples.size());
        figures.put("views_naming_unstored_task", unstored.size());
        return figures;
    }

    private static Instant fireTime(Instant anchor, long index) {
        return anchor.plusMillis(index * EVERY_MS);
    }

    /** The store, and the scheduler's advertised address: its RSocket port on this machine. */
    private static String[] with(String[] store, int[] ports) {
        List<String> args = new ArrayList<>(List.of(store));
        args.add("--taskwire.scheduler.advertised-address=127.0.0.1:" + ports[0]);
        return args.toArray(String[]::new);
    }

    /** A view of the schedule, and which process answered it. */
    private record Sample(String who, ScheduleView view) {
    }
}
