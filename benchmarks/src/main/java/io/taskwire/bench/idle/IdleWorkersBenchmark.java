package io.taskwire.bench.idle;

import io.taskwire.bench.LoadGenerator;
import io.taskwire.bench.Progress;
import io.taskwire.bench.Settings;
import io.taskwire.bench.Stats;
import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.SchedulerProcess;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;

/**
 * Comparison 5: what idle workers cost the scheduler. A real scheduler in its own JVM takes
 * {@link #WORKERS} simulated workers, each on its own connection and heartbeating every 2 s; its
 * heap after full collections and its CPU time are read at 0, half and all of them. The baseline,
 * in the same run, is a bare rsocket-java server taking the same connections.
 */
public final class IdleWorkersBenchmark {

    static final int WORKERS = 1_000;
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final Settings settings;
    private final Duration cpuWindow;

    public IdleWorkersBenchmark(Settings settings) {
        this.settings = settings;
        this.cpuWindow = settings.latencyWindow().multipliedBy(2);
    }

    public void run() {
        Footprint taskwire;
        try (SchedulerProcess scheduler = new SchedulerProcess("idle-scheduler", "1g",
                List.of("--taskwire.scheduler.heartbeat.interval=" + HEARTBEAT.toSeconds() + "s"))) {
            scheduler.awaitReady(Duration.ofMinutes(2));
            taskwire = measure("Taskwire scheduler", scheduler.process(), scheduler.rsocketPort(), scheduler.workerToken(),
                    () -> Math.round(scheduler.meter("taskwire.workers", "status:online")));
        }
        Footprint bare;
        int port = JavaProcess.freePort();
        try (JavaProcess server = JavaProcess.start("bare-rsocket", BareRSocketServer.class.getName(), "1g",
                List.of(Integer.toString(port)))) {
            awaitListening(server, port);
            // it has no registry: a connection counts once its SETUP was sent
            bare = measure("bare rsocket-java server", server, port, "no-token-needed-here", () -> -1);
        }
        new IdleWorkersReport(WORKERS, HEARTBEAT, cpuWindow, List.of(taskwire, bare)).print();
    }

    private Footprint measure(String name, JavaProcess server, int port, String token, LongSupplier online) {
        List<SimulatedWorker> workers = new ArrayList<>();
        try {
            Map<String, Long> classesNone = server.classHistogram();
            Stats cpuNone = cpu(server);
            connect(workers, WORKERS / 2, port, token, online);
            long heapHalf = live(server.classHistogram());
            connect(workers, WORKERS, port, token, online);
            // heartbeats have come in from every worker before anything is read
            LoadGenerator.sleep(HEARTBEAT.multipliedBy(2));
            Map<String, Long> classesAll = server.classHistogram();
            Map<String, Long> growth = new HashMap<>(classesAll);
            classesNone.forEach((type, bytes) -> growth.merge(type, -bytes, Long::sum));
            Stats cpuAll = cpu(server);
            progress("%s: live heap %,d / %,d / %,d bytes at 0 / %d / %d workers", name, live(classesNone), heapHalf,
                    live(classesAll), WORKERS / 2, WORKERS);
            return new Footprint(name, live(classesNone), heapHalf, live(classesAll), cpuNone, cpuAll, growth);
        } finally {
            workers.forEach(SimulatedWorker::close);
        }
    }

    private static long live(Map<String, Long> histogram) {
        return histogram.values().stream().mapToLong(Long::longValue).sum();
    }

    private void connect(List<SimulatedWorker> workers, int total, int port, String token, LongSupplier online) {
        int first = workers.size();
        workers.addAll(Flux.range(first, total - first)
                .flatMap(i -> SimulatedWorker.connect("idle-" + i, port, token, HEARTBEAT), 32)
                .collectList()
                .block(Duration.ofMinutes(2)));
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (online.getAsLong() >= 0 && online.getAsLong() < total) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(online.getAsLong() + " of " + total + " workers online after a minute");
            }
            LoadGenerator.sleep(Duration.ofMillis(200));
        }
        progress("%d workers connected", total);
    }

    /** @return the server's CPU use, in cores, over {@link Settings#rounds()} windows */
    private Stats cpu(JavaProcess server) {
        List<Double> cores = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
            Duration before = server.cpuTime();
            long start = System.nanoTime();
            LoadGenerator.sleep(cpuWindow);
            cores.add((server.cpuTime().minus(before).toNanos()) / (double) (System.nanoTime() - start));
        }
        return Stats.of(cores);
    }

    private static void awaitListening(JavaProcess server, int port) {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try (Socket ignored = new Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > until) {
                    throw new IllegalStateException("the bare server did not listen:\n" + server.tail());
                }
                LoadGenerator.sleep(Duration.ofMillis(200));
            }
        }
    }

    private static void progress(String format, Object... args) {
        Progress.log("idle workers", format, args);
    }
}
