package io.taskwire.bench.console;

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
import io.taskwire.messages.TaskSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Comparison 8: what open consoles cost the scheduler. A real scheduler (packaged H2 store) and two
 * real workers, each in its own JVM; {@value #PER_PAGE} emulated browsers ({@link Console}) on the
 * overview and {@value #PER_PAGE} on the tasks page, over HTTP. In each round the three states (no
 * page open, the overviews, the overviews and the task pages) take turns, one further each round;
 * in each the scheduler's CPU time over a window and then its live heap are read. First idle, then
 * under per-task submissions at half of the throughput this cluster measures; last, every page held
 * open at idle for a while longer than a stream's lifetime, the live heap read at its start and end.
 */
public final class ConsoleBenchmark {

    static final int PER_PAGE = 50;
    private static final int WORKER_SLOTS = 1_024;
    private static final Duration LIMIT = Duration.ofMinutes(3);
    /** Time for pages just opened to get their snapshots, and for closed streams to be noticed. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final Settings settings;
    private final Duration window;
    private final Duration hold;

    public ConsoleBenchmark(Settings settings) {
        this.settings = settings;
        this.window = settings.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        this.hold = Duration.parse(System.getProperty("bench.console-hold", settings.quick() ? "PT20S" : "PT11M"));
    }

    public void run() {
        List<String> args = new ArrayList<>(Store.H2.schedulerSettings("console-scheduler"));
        args.add("--taskwire.scheduler.min-workers=2");
        args.add("--taskwire.scheduler.tasks.watch-buffer=100000");
        List<JavaProcess> workers = new ArrayList<>();
        try (SchedulerProcess scheduler = new SchedulerProcess("console-scheduler", "1g", args)) {
            workers.add(scheduler.startWorker("console-worker-a", WORKER_SLOTS));
            workers.add(scheduler.startWorker("console-worker-b", WORKER_SLOTS));
            scheduler.awaitReady(LIMIT);
            try (SchedulerClient client = SchedulerClient.connect(scheduler.rsocketPort(), scheduler.clientToken())) {
                new ConsoleReport(PER_PAGE, window, hold, measure(scheduler, client)).print();
            }
        } finally {
            workers.forEach(JavaProcess::close);
        }
    }

    private ConsoleReport.Figures measure(SchedulerProcess scheduler, SchedulerClient client) {
        long heapAtStart = live(scheduler);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        URI base = URI.create("http://localhost:" + scheduler.httpPort());
        States states = new States(new Consoles(Page.OVERVIEW, PER_PAGE, http, base, scheduler.clientToken()),
                new Consoles(Page.TASKS, PER_PAGE, http, base, scheduler.clientToken()));
        long heapLoggedIn = live(scheduler);
        progress("live heap %,d bytes at start, %,d with %d sessions logged in", heapAtStart, heapLoggedIn,
                2 * PER_PAGE);
        PerTaskBursts bursts = new PerTaskBursts(scheduler, client, LIMIT);
        warmUp(scheduler, states, bursts);

        Rounds idle = rounds("idle", scheduler, states, () -> {
            LoadGenerator.sleep(window);
            return Double.NaN;
        });
        Stats throughput = bursts.measure(settings.rounds(), settings.throughputWindow());
        double half = throughput.median() / 2;
        progress("per task: %,.0f tasks/s (median of %d bursts); half load %,.0f tasks/s", throughput.median(),
                settings.rounds(), half);
        OpenLoop openLoop = new OpenLoop("console, per task at half load", client,
                () -> client.submit(TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(0))).map(List::of), 1, LIMIT);
        Rounds loaded = rounds("half load", scheduler, states, () -> {
            Histogram latencies = openLoop.run(half, window);
            return latencies.getValueAtPercentile(99) / 1e6;
        });
        Held held = hold(scheduler, states);
        return new ConsoleReport.Figures(heapAtStart, heapLoggedIn, idle, throughput, half, loaded, held);
    }

    private void warmUp(SchedulerProcess scheduler, States states, PerTaskBursts bursts) {
        long until = System.nanoTime() + settings.warmUp().toNanos() / 2;
        do {
            bursts.burst(2_000);
        } while (System.nanoTime() < until);
        states.apply(State.BOTH);
        LoadGenerator.sleep(settings.warmUp().dividedBy(2));
        states.apply(State.NONE);
        progress("warmed up: per-task bursts, then every page open for %ds", settings.warmUp().toSeconds() / 2);
    }

    private Rounds rounds(String phase, SchedulerProcess scheduler, States states, Window work) {
        Rounds rounds = new Rounds();
        for (int round = 0; round < settings.rounds(); round++) {
            for (int i = 0; i < State.values().length; i++) {
                State state = State.values()[(round + i) % State.values().length];
                states.apply(state);
                LoadGenerator.sleep(SETTLE);
                Traffic.Snapshot before = states.traffic();
                Duration cpuBefore = scheduler.process().cpuTime();
                long start = System.nanoTime();
                double p99 = work.run();
                double seconds = (System.nanoTime() - start) / 1e9;
                double cores = scheduler.process().cpuTime().minus(cpuBefore).toNanos() / 1e9 / seconds;
                Traffic.Snapshot traffic = states.traffic().minus(before);
                long heap = live(scheduler);
                rounds.add(state, cores, heap, p99, traffic, seconds);
                progress("%s, round %d, %s: CPU %.2f%% of a core, live heap %,d bytes%s; %s", phase, round + 1,
                        state.label(), cores * 100, heap, Double.isNaN(p99) ? "" : String.format(", p99 %.1f ms", p99),
                        traffic.describe(seconds));
            }
        }
        states.apply(State.NONE);
        return rounds;
    }

    /** Every page open, at idle, for {@link #hold}: its live heap after the first snapshots and at the end. */
    private Held hold(SchedulerProcess scheduler, States states) {
        states.apply(State.BOTH);
        LoadGenerator.sleep(SETTLE);
        long heapStart = live(scheduler);
        Traffic.Snapshot before = states.traffic();
        Duration cpuBefore = scheduler.process().cpuTime();
        long start = System.nanoTime();
        LoadGenerator.sleep(hold);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cores = scheduler.process().cpuTime().minus(cpuBefore).toNanos() / 1e9 / seconds;
        Traffic.Snapshot traffic = states.traffic().minus(before);
        long heapEnd = live(scheduler);
        states.apply(State.NONE);
        progress("held every page open %ds: live heap %,d then %,d bytes, CPU %.2f%% of a core; %s", hold.toSeconds(),
                heapStart, heapEnd, cores * 100, traffic.describe(seconds));
        return new Held(hold, heapStart, heapEnd, cores, traffic);
    }

    private static long live(SchedulerProcess scheduler) {
        return scheduler.process().classHistogram().values().stream().mapToLong(Long::longValue).sum();
    }

    private static void progress(String format, Object... args) {
        Progress.log("consoles", format, args);
    }

    /** What runs during one window; returns the submissions' p99 in ms, or NaN at idle. */
    @FunctionalInterface
    private interface Window {
        double run();
    }
}
