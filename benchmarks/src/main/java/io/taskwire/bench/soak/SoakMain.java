package io.taskwire.bench.soak;

import io.taskwire.bench.Payloads;
import io.taskwire.bench.Progress;
import io.taskwire.bench.Stats;
import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.OpenLoop;
import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.bench.cluster.SchedulerProcess;
import io.taskwire.messages.TaskSpec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;

/**
 * The soak of RELIABILITY.md: a real scheduler (the Helm chart's heap) and two real workers carry
 * real tasks at half of what they finish in a burst, first quietly, then for ten minutes with every
 * hostile peer of {@link Attacks} at once (in a JVM of their own, {@link AttackersMain}), then quietly
 * again. It reports the real tasks' latency
 * in each phase, the scheduler's memory before, during and after, what each attacker was answered,
 * and whether every real task succeeded; it exits with 1 if one did not.
 */
public final class SoakMain {

    /** The scheduler's {@code -Xmx}: half of the Helm chart's 768 MiB pod, as its {@code MaxRAMPercentage} gives. */
    static final String SCHEDULER_HEAP = "384m";
    /** The rest of the chart's JVM options. */
    static final List<String> SCHEDULER_JVM = List.of("-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError");
    /** The chart's memory limit of the scheduler's pod, which the peak RSS must stay under. */
    static final long POD_LIMIT_BYTES = 768L << 20;
    static final int WORKER_SLOTS = 64;
    static final String ATTACKERS_HEAP = "256m";
    /**
     * Finished tasks the scheduler keeps readable: fewer than the quiet phase finishes, so that the
     * ledger is full, and stays so, before memory is first read.
     */
    static final int RETAINED_FINISHED = 20_000;
    private static final int BURST_IN_FLIGHT = 128;
    private static final Duration DRAIN = Duration.ofMinutes(2);
    private static final com.sun.management.OperatingSystemMXBean OWN_CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final SoakSettings settings;
    private final SoakReport report;
    private long submitted;

    private SoakMain(SoakSettings settings) {
        this.settings = settings;
        this.report = new SoakReport(settings.schedulerJvmOptions());
    }

    public static void main(String[] args) {
        SoakSettings settings = SoakSettings.of(args);
        // calls of the attackers still in flight when they stop are cancelled; their errors mean nothing
        Hooks.onErrorDropped(failure -> { });
        System.out.printf("Run: soak, %s, started %s, windows of %d s: %d quiet, %d under attack, %d after%n%n",
                settings.name(), Instant.now(), settings.window().toSeconds(), settings.quietWindows(),
                settings.attackWindows(), settings.afterWindows());
        boolean allSucceeded = new SoakMain(settings).run();
        System.exit(allSucceeded ? 0 : 1);
    }

    private boolean run() {
        SchedulerProcess scheduler = new SchedulerProcess("soak-scheduler", SCHEDULER_HEAP,
                settings.schedulerJvmOptions(),
                List.of("--taskwire.scheduler.min-workers=2",
                        "--taskwire.scheduler.tasks.retained-finished=" + RETAINED_FINISHED));
        List<JavaProcess> workers = List.of(scheduler.startWorker("soak-a", WORKER_SLOTS),
                scheduler.startWorker("soak-b", WORKER_SLOTS));
        try {
            scheduler.awaitReady(Duration.ofMinutes(3));
            try (SchedulerClient client = SchedulerClient.connect(scheduler.rsocketPort(), scheduler.clientToken())) {
                return soak(scheduler, client);
            }
        } catch (RuntimeException e) {
            System.out.println("The soak failed: " + e.getMessage());
            System.out.println("Scheduler output, last lines:\n" + scheduler.process().tail());
            return false;
        } finally {
            workers.forEach(JavaProcess::close);
            scheduler.close();
        }
    }

    private boolean soak(SchedulerProcess scheduler, SchedulerClient client) {
        double burstRate = warmUp(scheduler, client);
        double rate = settings.rate() > 0 ? settings.rate() : burstRate * settings.load();
        report.traffic(burstRate, rate);
        progress("warmed up: %,.0f tasks/s in a burst; real traffic at %,.0f tasks/s", burstRate, rate);
        OpenLoop traffic = new OpenLoop("real traffic", client,
                () -> client.submit(spec()).map(List::of), 1, DRAIN);

        report.phase("quiet", windows(scheduler, traffic, rate, settings.quietWindows(), "quiet", () -> { }));
        Map<String, Long> liveAtStart = scheduler.process().classHistogram();
        Memory start = Memory.of(scheduler).withHeap(sum(liveAtStart));
        progress("memory at the start: %s", start);

        long logStart = scheduler.process().outputSize();
        AtomicReference<Memory> peak = new AtomicReference<>(Memory.of(scheduler));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(Memory.of(scheduler), Memory::max), 5, 5,
                TimeUnit.SECONDS);
        JavaProcess attackers = JavaProcess.start("soak-attackers", AttackersMain.class.getName(), ATTACKERS_HEAP,
                List.of(Integer.toString(scheduler.rsocketPort()), Integer.toString(scheduler.httpPort()),
                        scheduler.clientToken(), scheduler.workerToken(), Long.toString(settings.attack().toSeconds()),
                        String.join(",", settings.attacks())));
        try {
            progress("attackers started, for %d s", settings.attack().toSeconds());
            report.phase("under attack", windows(scheduler, traffic, rate, settings.attackWindows(), "under attack",
                    () -> {
                        if (!attackers.isAlive()) {
                            succeeded(attackers, Duration.ZERO);
                        }
                    }));
            succeeded(attackers, Duration.ofMinutes(2));
        } finally {
            attackers.close();
            sampler.shutdownNow();
        }
        report.attacks(attackers.outputFrom(0));
        report.log(scheduler.process().outputFrom(logStart));
        progress("attacks stopped");

        report.phase("after", windows(scheduler, traffic, rate, settings.afterWindows(), "after", () -> { }));
        Map<String, Long> liveAtEnd = scheduler.process().classHistogram();
        Memory end = Memory.of(scheduler).withHeap(sum(liveAtEnd));
        report.memory(start, peak.get(), end, liveAtStart, liveAtEnd);

        long completed = Math.round(scheduler.meter("taskwire.tasks.completed"));
        long succeeded = Math.round(scheduler.meter("taskwire.tasks.completed", "status:succeeded"));
        report.tasks(submitted, completed, succeeded);
        report.print();
        return completed == submitted && succeeded == submitted;
    }

    /** Waits for the attackers to finish; fails unless they exit with 0 within the time. */
    private static void succeeded(JavaProcess attackers, Duration within) {
        if (attackers.awaitExit(within) != 0) {
            throw new IllegalStateException("the attackers failed:\n" + attackers.tail());
        }
    }

    /**
     * Bursts until the warm-up time is spent: the first half warms the JIT, the median of the
     * bursts in the second half is the burst rate.
     */
    private double warmUp(SchedulerProcess scheduler, SchedulerClient client) {
        List<Double> rates = new ArrayList<>();
        long start = System.nanoTime();
        long half = start + settings.warmUp().toNanos() / 2;
        long until = start + settings.warmUp().toNanos();
        int tasks = 2_000;
        do {
            double rate = burst(scheduler, client, tasks);
            progress("warm-up burst of %,d tasks: %,.0f tasks/s", tasks, rate);
            if (System.nanoTime() > half) {
                rates.add(rate);
            }
            tasks = Math.max(1_000, (int) (rate * 3));
        } while (System.nanoTime() < until || rates.size() < 3);
        return Stats.of(rates).median();
    }

    /** @return tasks finished per second, submitting {@code tasks} with {@value #BURST_IN_FLIGHT} outstanding */
    private double burst(SchedulerProcess scheduler, SchedulerClient client, int tasks) {
        long target = Math.round(scheduler.meter("taskwire.tasks.completed")) + tasks;
        long start = System.nanoTime();
        Flux.range(0, tasks).flatMap(i -> client.submit(spec()), BURST_IN_FLIGHT).then().block(DRAIN);
        submitted += tasks;
        long deadline = start + DRAIN.toNanos();
        while (scheduler.meter("taskwire.tasks.completed") < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a burst's tasks did not finish within " + DRAIN);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return tasks * 1e9 / (System.nanoTime() - start);
    }

    /**
     * Runs the real traffic for {@code count} windows; each adds its latencies, CPU and tasks to the
     * phase, and {@code check} runs after each.
     */
    private SoakReport.Phase windows(SchedulerProcess scheduler, OpenLoop traffic, double rate, int count,
                                     String phase, Runnable check) {
        SoakReport.Phase result = new SoakReport.Phase();
        for (int i = 0; i < count; i++) {
            Duration schedulerCpu = scheduler.process().cpuTime();
            long ownCpu = OWN_CPU.getProcessCpuTime();
            long start = System.nanoTime();
            Histogram latencies = traffic.run(rate, settings.window());
            double wall = System.nanoTime() - start;
            // each window also sends one task first, to see that its watch is open
            submitted += latencies.getTotalCount() + 1;
            result.add(latencies, (scheduler.process().cpuTime().minus(schedulerCpu)).toNanos() / wall,
                    (OWN_CPU.getProcessCpuTime() - ownCpu) / wall);
            progress("%s, window %d of %d: p50 %.1f ms, p99 %.1f ms, %,d tasks", phase, i + 1, count,
                    latencies.getValueAtPercentile(50) / 1e6, latencies.getValueAtPercentile(99) / 1e6,
                    latencies.getTotalCount());
            check.run();
        }
        return result;
    }

    /** @return live heap, summed from a class histogram (which collects first) */
    private static double sum(Map<String, Long> classHistogram) {
        return classHistogram.values().stream().mapToLong(Long::longValue).sum();
    }

    private static TaskSpec spec() {
        return TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(SEQUENCE.incrementAndGet()));
    }

    private static void progress(String format, Object... args) {
        Progress.log("soak", format, args);
    }
}
