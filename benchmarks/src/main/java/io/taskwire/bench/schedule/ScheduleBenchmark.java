package io.taskwire.bench.schedule;

import io.taskwire.bench.LoadGenerator;
import io.taskwire.bench.Payloads;
import io.taskwire.bench.Progress;
import io.taskwire.bench.Settings;
import io.taskwire.bench.Stats;
import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.OpenLoop;
import io.taskwire.bench.cluster.PerTaskBursts;
import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.bench.cluster.SchedulerProcess;
import io.taskwire.bench.cluster.Store;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;

/**
 * Comparison 7: schedules. A real scheduler in its own JVM (packaged configuration, on the packaged
 * H2 store, then in memory) with two simulated workers that run every task at once ({@link EchoWorker}):
 * <ul>
 * <li>the baseline, {@value #TASKS} tasks submitted at one instant, timed from the send to each
 * task's PENDING event;</li>
 * <li>{@value #TASKS} schedules due at the same second, each task's lag from the fire time to its
 * PENDING event;</li>
 * <li>the live heap per schedule held and the scheduler's CPU between fires;</li>
 * <li>on H2, one schedule firing every second, its lag with the scheduler otherwise idle and with
 * per-task submissions at half the throughput this cluster measures.</li>
 * </ul>
 * Every lag is a PENDING event's {@code at} (the scheduler's clock, when the task's creation was
 * committed and published) less an instant of this JVM's clock; both JVMs read the same system clock.
 */
public final class ScheduleBenchmark {

    static final int TASKS = 10_000;
    /** The baseline's tasks and the load's: {@code echo}. */
    static final String SUBMITTED_TYPE = Payloads.TASK_TYPE;
    /** The tasks the {@value #TASKS} schedules fire. */
    static final String SCHEDULED_TYPE = "scheduled-echo";
    /** The tasks the schedule firing every second fires. */
    static final String TICK_TYPE = "every-second";
    static final int WORKER_SLOTS = 1_024;
    /** Tasks per {@code task.submit.batch}: about 200 KB of specs, within the 1 MiB request limit. */
    static final int SUBMISSION = 1_000;
    /** {@code schedule.put} and {@code schedule.delete} calls outstanding at once. */
    private static final int PUTS_IN_FLIGHT = 64;
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private final Settings settings;
    /** How many tasks and schedules at once: {@value #TASKS}, fewer in a smoke run. */
    private final int tasks;
    /** How far ahead of the first put the schedules are due. */
    private final Duration lead;
    /** One CPU window; {@link Settings#rounds()} of them. */
    private final Duration cpuWindow;
    /** Fires of the schedule firing every second, idle and loaded. */
    private final int ticks;
    private final List<ScheduleReport.Figures> results = new ArrayList<>();

    public ScheduleBenchmark(Settings settings) {
        this.settings = settings;
        this.tasks = settings.quick() ? 1_000 : TASKS;
        this.lead = settings.quick() ? Duration.ofSeconds(12) : Duration.ofSeconds(45);
        this.cpuWindow = settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(4);
        this.ticks = settings.quick() ? 5 : 60;
    }

    /** H2 first, with every measurement; then in memory, without the schedule firing every second. */
    public void run() {
        results.add(measure(Store.H2, true));
        results.add(measure(Store.MEMORY, false));
        new ScheduleReport(tasks, cpuWindow, results).print();
    }

    private ScheduleReport.Figures measure(Store store, boolean everySecond) {
        String name = "schedules-" + store.name().toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>(store.schedulerSettings(name));
        // the watches see every event of 10,000 tasks (created, dispatched, succeeded) within seconds
        args.add("--taskwire.scheduler.tasks.watch-buffer=100000");
        List<EchoWorker> workers = new ArrayList<>();
        try (SchedulerProcess scheduler = new SchedulerProcess(name, "1g", args)) {
            scheduler.awaitReady(LIMIT);
            for (String worker : List.of("a", "b")) {
                workers.add(EchoWorker.connect(name + "-worker-" + worker, scheduler.rsocketPort(), scheduler.workerToken(),
                        WORKER_SLOTS, List.of(SUBMITTED_TYPE, SCHEDULED_TYPE, TICK_TYPE)));
            }
            awaitOnline(scheduler, workers.size());
            try (SchedulerClient client = SchedulerClient.connect(scheduler.rsocketPort(), scheduler.clientToken())) {
                ScheduleReport.Figures figures = measure(store, scheduler, client, everySecond);
                workers.forEach(EchoWorker::check);
                return figures;
            }
        } finally {
            workers.forEach(EchoWorker::close);
        }
    }

    private ScheduleReport.Figures measure(Store store, SchedulerProcess scheduler, SchedulerClient client,
                                           boolean everySecond) {
        String label = store.label();
        warmUp(label, scheduler, client);
        Lags baseline;
        double baselineDone;
        Dispatches baselineDispatches;
        try (Arrivals submitted = Arrivals.open(client, SUBMITTED_TYPE)) {
            List<List<TaskSpec>> batches = new ArrayList<>();
            for (int first = 0; first < tasks; first += SUBMISSION) {
                batches.add(specs(SUBMITTED_TYPE, first, Math.min(SUBMISSION, tasks - first)));
            }
            Dispatches dispatchesBefore = Dispatches.of(scheduler);
            Instant sent = Instant.now();
            Flux.fromIterable(batches).flatMap(client::submitBatch, batches.size()).then().block(LIMIT);
            submitted.awaitCreated(tasks, LIMIT);
            submitted.awaitSucceeded(tasks, LIMIT);
            baselineDone = Duration.between(sent, Instant.now()).toNanos() / 1e9;
            baseline = Lags.of(submitted.lagsSince(sent));
            baselineDispatches = Dispatches.of(scheduler).minus(dispatchesBefore);
        }
        progress("%s: baseline, %,d tasks submitted at once: created p50 %.1f ms, p99 %.1f ms, max %.1f ms; all"
                + " succeeded %.2f s after the send; %s", label, tasks, baseline.p50(), baseline.p99(), baseline.max(),
                baselineDone, baselineDispatches);
        awaitQuiet(scheduler);

        // what the store does in the background after a burst (H2 writes its pages out) settles first
        LoadGenerator.sleep(settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(5));
        Map<String, Long> classesBefore = scheduler.process().classHistogram();
        Stats cpuNone = cpu(scheduler.process(), null);
        progress("%s: no schedules: live heap %,d bytes, CPU %.2f%% of a core", label, live(classesBefore),
                cpuNone.median() * 100);

        try (Arrivals fired = Arrivals.open(client, SCHEDULED_TYPE)) {
            Instant fireAt = Instant.now().plus(lead).truncatedTo(ChronoUnit.SECONDS);
            ZonedDateTime utc = fireAt.atZone(ZoneOffset.UTC);
            String cron = String.format("%d %d %d * * *", utc.getSecond(), utc.getMinute(), utc.getHour());
            long putStart = System.nanoTime();
            Flux.range(0, tasks)
                    .flatMap(i -> client.putSchedule(new ScheduleSpec("due-" + i, cron, null, null,
                            TaskSpec.of(SCHEDULED_TYPE, Payloads.payload(i)), null, null, null, null, null, null)),
                            PUTS_IN_FLIGHT)
                    .then().block(LIMIT);
            double putsPerSecond = tasks * 1e9 / (System.nanoTime() - putStart);
            Map<String, Long> classesWith = scheduler.process().classHistogram();
            Map<String, Long> growth = new HashMap<>(classesWith);
            classesBefore.forEach((type, bytes) -> growth.merge(type, -bytes, Long::sum));
            progress("%s: %,d schedules put (cron '%s', due %s) at %,.0f puts/s; live heap %,d bytes (%,.0f per"
                    + " schedule)", label, tasks, cron, fireAt, putsPerSecond, live(classesWith),
                    (live(classesWith) - live(classesBefore)) / (double) tasks);
            Stats cpuHeld = cpu(scheduler.process(), fireAt.minusSeconds(2));
            progress("%s: %,d schedules held, none due: CPU %.2f%% of a core", label, tasks, cpuHeld.median() * 100);

            double firesBefore = scheduler.meter("taskwire.schedule.fires", "reason:time");
            Commits commitsBefore = Commits.of(scheduler);
            Dispatches firedDispatchesBefore = Dispatches.of(scheduler);
            double lagCountBefore = scheduler.meterStatistic("taskwire.schedule.fire.lag", "COUNT");
            double lagTotalBefore = scheduler.meterStatistic("taskwire.schedule.fire.lag", "TOTAL_TIME");
            fired.awaitCreated(tasks, Duration.between(Instant.now(), fireAt).plus(LIMIT));
            fired.awaitSucceeded(tasks, LIMIT);
            double firedDone = Duration.between(fireAt, Instant.now()).toNanos() / 1e9;
            Lags lags = Lags.of(fired.lagsSince(fireAt));
            Commits commits = Commits.of(scheduler).minus(commitsBefore);
            Dispatches firedDispatches = Dispatches.of(scheduler).minus(firedDispatchesBefore);
            double fires = scheduler.meter("taskwire.schedule.fires", "reason:time") - firesBefore;
            if (Math.round(fires) != tasks) {
                throw new IllegalStateException(label + ": the scheduler counted " + fires + " fires at their time, not "
                        + tasks);
            }
            double ownLagMillis = (scheduler.meterStatistic("taskwire.schedule.fire.lag", "TOTAL_TIME") - lagTotalBefore)
                    / (scheduler.meterStatistic("taskwire.schedule.fire.lag", "COUNT") - lagCountBefore) * 1e3;
            progress("%s: %,d schedules due at %s: created p50 %.1f ms, p99 %.1f ms, max %.1f ms; all succeeded %.2f s"
                    + " after the fire time; the scheduler's own fire.lag (due → handed to the store) mean %.1f ms;"
                    + " %s; %s", label, tasks, fireAt, lags.p50(), lags.p99(), lags.max(), firedDone, ownLagMillis, commits,
                    firedDispatches);
            long deleted = Flux.range(0, tasks).flatMap(i -> client.deleteSchedule("due-" + i), PUTS_IN_FLIGHT)
                    .map(ScheduleView::fired).reduce(0L, Long::sum).block(LIMIT);
            if (deleted != tasks) {
                throw new IllegalStateException(label + ": the schedules counted " + deleted + " fires, not " + tasks);
            }
            awaitQuiet(scheduler);

            ScheduleReport.Figures figures = new ScheduleReport.Figures(label, baseline, baselineDone, lags, firedDone,
                    ownLagMillis, commits.describe(), baselineDispatches.describe(), firedDispatches.describe(),
                    putsPerSecond, live(classesBefore), live(classesWith), growth, cpuNone, cpuHeld, null, null, null,
                    Double.NaN, Double.NaN);
            return everySecond ? everySecond(label, scheduler, client, figures) : figures;
        }
    }

    /** One schedule firing every second: idle, then under half the throughput this cluster measures. */
    private ScheduleReport.Figures everySecond(String label, SchedulerProcess scheduler, SchedulerClient client,
                                               ScheduleReport.Figures figures) {
        Lags idle;
        try (Arrivals fired = Arrivals.open(client, TICK_TYPE)) {
            idle = tick(label + ", idle", client, fired, () -> LoadGenerator.sleep(Duration.ofSeconds(ticks + 4)));
        }
        progress("%s: one schedule every second, idle: %d fires, lag p50 %.1f ms, p99 %.1f ms, max %.1f ms", label,
                idle.count(), idle.p50(), idle.p99(), idle.max());

        Stats throughput = new PerTaskBursts(scheduler, client, LIMIT).measure(settings.rounds(),
                settings.throughputWindow());
        progress("%s: per task, %d bursts: %s tasks/s", label, settings.rounds(), throughput.format("%,.0f"));
        double half = throughput.median() / 2;
        Histogram[] load = new Histogram[1];
        Lags loaded;
        try (Arrivals fired = Arrivals.open(client, TICK_TYPE)) {
            OpenLoop openLoop = new OpenLoop(label + ", per task at half load", client,
                    () -> client.submit(TaskSpec.of(SUBMITTED_TYPE, Payloads.payload(0))).map(List::of), 1, LIMIT);
            loaded = tick(label + ", loaded", client, fired,
                    () -> load[0] = openLoop.run(half, Duration.ofSeconds(ticks + 4)));
        }
        double loadP99 = load[0].getValueAtPercentile(99) / 1e6;
        progress("%s: one schedule every second, per-task submissions at %,.0f/s: %d fires, lag p50 %.1f ms, p99 %.1f ms,"
                + " max %.1f ms; the submissions' own p99 %.1f ms", label, half, loaded.count(), loaded.p50(), loaded.p99(),
                loaded.max(), loadP99);
        return new ScheduleReport.Figures(figures.store(), figures.baseline(), figures.baselineDone(), figures.fired(),
                figures.firedDone(), figures.ownLagMillis(), figures.commits(), figures.baselineDispatches(),
                figures.firedDispatches(), figures.putsPerSecond(),
                figures.heapBefore(), figures.heapWith(), figures.growth(), figures.cpuNone(), figures.cpuHeld(), idle,
                loaded, throughput, half, loadP99);
    }

    /**
     * Puts a schedule firing every second, {@link #ticks} times from 3 s on, runs {@code meanwhile},
     * and deletes it. Its overlap policy is ALLOW, so that no fire time is dropped because the one
     * before has not finished: the i-th task created is the i-th fire time's.
     *
     * @return the lag of each fire: its PENDING event's {@code at} less its fire time
     */
    private Lags tick(String what, SchedulerClient client, Arrivals fired, Runnable meanwhile) {
        Instant start = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plusSeconds(ticks - 1);
        client.putSchedule(new ScheduleSpec("every-second", null, 1_000L, null, TaskSpec.of(TICK_TYPE, Payloads.payload(0)),
                null, OverlapPolicy.ALLOW, start, end, null, null)).block(LIMIT);
        meanwhile.run();
        fired.awaitCreated(ticks, Duration.between(Instant.now(), end).plus(LIMIT));
        long count = client.deleteSchedule("every-second").block(LIMIT).fired();
        List<Instant> created = fired.createdInOrder();
        if (count != ticks || created.size() != ticks) {
            throw new IllegalStateException(what + ": " + created.size() + " tasks seen and " + count
                    + " fires counted, not " + ticks);
        }
        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            lags.add(Duration.between(start.plusSeconds(i), created.get(i)).toNanos());
        }
        return Lags.of(lags);
    }

    /**
     * Untimed: bursts of {@link #SUBMISSION}-task batches for half the warm-up, then
     * {@code tasks / 10} schedules firing every second for the other half, deleted after.
     */
    private void warmUp(String label, SchedulerProcess scheduler, SchedulerClient client) {
        long half = settings.warmUp().toNanos() / 2;
        long until = System.nanoTime() + half;
        int bursts = 0;
        do {
            long target = completed(scheduler) + tasks;
            Flux.range(0, tasks / SUBMISSION).flatMap(i -> client.submitBatch(specs(SUBMITTED_TYPE, i * SUBMISSION,
                    SUBMISSION)), tasks / SUBMISSION).then().block(LIMIT);
            awaitCompleted(scheduler, target);
            bursts++;
        } while (System.nanoTime() < until);
        int schedules = tasks / 10;
        Instant start = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plusNanos(half).truncatedTo(ChronoUnit.SECONDS);
        Flux.range(0, schedules).flatMap(i -> client.putSchedule(new ScheduleSpec("warm-up-" + i, null, 1_000L, null,
                TaskSpec.of(SCHEDULED_TYPE, Payloads.payload(i)), null, OverlapPolicy.ALLOW, start, end, null, null)),
                PUTS_IN_FLIGHT).then().block(LIMIT);
        LoadGenerator.sleep(Duration.between(Instant.now(), end.plusSeconds(1)));
        long fires = Flux.range(0, schedules).flatMap(i -> client.deleteSchedule("warm-up-" + i), PUTS_IN_FLIGHT)
                .map(ScheduleView::fired).reduce(0L, Long::sum).block(LIMIT);
        awaitQuiet(scheduler);
        progress("%s: warmed up with %d bursts of %,d tasks and %,d fires of %,d schedules", label, bursts, tasks, fires,
                schedules);
    }

    private static long completed(SchedulerProcess scheduler) {
        return Math.round(scheduler.meter("taskwire.tasks.completed"));
    }

    private static void awaitCompleted(SchedulerProcess scheduler, long target) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (completed(scheduler) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tasks did not finish within " + LIMIT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long unsuccessful = target - Math.round(scheduler.meter("taskwire.tasks.completed", "status:succeeded"));
        if (unsuccessful > 0) {
            throw new IllegalStateException(unsuccessful + " tasks did not succeed");
        }
    }

    /** Waits until the scheduler holds no unfinished task and its store has nothing queued. */
    private static void awaitQuiet(SchedulerProcess scheduler) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (scheduler.meter("taskwire.tasks.unfinished") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tasks still unfinished after " + LIMIT);
            }
            LoadGenerator.sleep(Duration.ofMillis(50));
        }
        // the last rows on their way to the store, and the garbage of the burst, settle
        LoadGenerator.sleep(Duration.ofSeconds(1));
    }

    private static void awaitOnline(SchedulerProcess scheduler, int workers) {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (scheduler.meter("taskwire.workers", "status:online") < workers) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the simulated workers are not online after a minute");
            }
            LoadGenerator.sleep(Duration.ofMillis(100));
        }
    }

    /**
     * The process's CPU in cores over {@link Settings#rounds()} windows of {@link #cpuWindow}.
     *
     * @param endBefore when the last window must have ended (the schedules are due after); null for none
     */
    private Stats cpu(JavaProcess process, Instant endBefore) {
        if (endBefore != null
                && Instant.now().plus(cpuWindow.multipliedBy(settings.rounds())).isAfter(endBefore)) {
            throw new IllegalStateException("the schedules were put too slowly: the CPU windows would reach their"
                    + " fire time (" + endBefore.plusSeconds(2) + "); lengthen the lead (" + lead + ")");
        }
        List<Double> cores = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
            Duration before = process.cpuTime();
            long start = System.nanoTime();
            LoadGenerator.sleep(cpuWindow);
            cores.add(process.cpuTime().minus(before).toNanos() / (double) (System.nanoTime() - start));
        }
        return Stats.of(cores);
    }

    private static List<TaskSpec> specs(String type, int first, int count) {
        List<TaskSpec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            specs.add(TaskSpec.of(type, Payloads.payload(first + i)));
        }
        return specs;
    }

    private static long live(Map<String, Long> histogram) {
        return histogram.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void progress(String format, Object... args) {
        Progress.log("schedules", format, args);
    }

    /**
     * How tasks went to the workers so far: attempts dispatched ({@code taskwire.tasks.dispatched}), those
     * sent in batches ({@code taskwire.tasks.batched}), the {@code task.execute.batch} requests.
     */
    private record Dispatches(double dispatched, double batched, double batches) {

        static Dispatches of(SchedulerProcess scheduler) {
            return new Dispatches(scheduler.meter("taskwire.tasks.dispatched"), scheduler.meter("taskwire.tasks.batched"),
                    scheduler.meterStatistic("taskwire.rsocket.requests", "COUNT", "route:task.execute.batch"));
        }

        Dispatches minus(Dispatches before) {
            return new Dispatches(dispatched - before.dispatched, batched - before.batched, batches - before.batches);
        }

        String describe() {
            return String.format("%,.0f `task.execute.batch` of %.1f tasks on average and %,.0f lone `task.execute`",
                    batches, batches == 0 ? 0 : batched / batches, dispatched - batched);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** The store's commits so far, from {@code taskwire.store.commit} and {@code taskwire.store.commit.writes}. */
    private record Commits(double count, double writes, double seconds) {

        static Commits of(SchedulerProcess scheduler) {
            return new Commits(scheduler.meterStatistic("taskwire.store.commit.writes", "COUNT"),
                    scheduler.meterStatistic("taskwire.store.commit.writes", "TOTAL"),
                    scheduler.meterStatistic("taskwire.store.commit", "TOTAL_TIME"));
        }

        Commits minus(Commits before) {
            return new Commits(count - before.count, writes - before.writes, seconds - before.seconds);
        }

        String describe() {
            return count == 0 ? "no commits (in memory)" : String.format("%,.0f commits of %.0f writes on average, %.1f ms"
                    + " each", count, writes / count, seconds / count * 1e3);
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
