package io.taskwire.bench.console;

import io.taskwire.bench.Stats;
import java.time.Duration;

/** Prints comparison 8 as Markdown. */
final class ConsoleReport {

    /** The target: 50 open consoles cost the scheduler under 5% of a core at idle. */
    static final double TARGET_CORES = 0.05;

    private final int perPage;
    private final Duration window;
    private final Duration hold;
    private final Figures figures;

    ConsoleReport(int perPage, Duration window, Duration hold, Figures figures) {
        this.perPage = perPage;
        this.window = window;
        this.hold = hold;
        this.figures = figures;
    }

    /**
     * @param heapAtStart live heap before any console logged in, in bytes
     * @param heapLoggedIn the same once every console had logged in, no page open
     * @param idle the rounds at idle
     * @param throughput per-task tasks/s of the bursts that set the half load
     * @param halfLoad the open loop's rate, tasks/s
     * @param loaded the rounds at half load
     * @param held every page held open at idle
     */
    record Figures(long heapAtStart, long heapLoggedIn, Rounds idle, Stats throughput, double halfLoad, Rounds loaded,
                   Held held) {
    }

    void print() {
        System.out.printf("## 8. Open consoles, the scheduler's CPU and live heap%n%n");
        System.out.printf("%d emulated browsers on the overview and %d on the tasks page, H2 store, two workers;"
                + " CPU over windows of %d s, median of the rounds (min–max); \"extra\" is the state less no console in"
                + " the same round.%n%n", perPage, perPage, window.toSeconds());
        phase("Idle", figures.idle(), false);
        System.out.printf("Half load: per-task submissions at %,.0f tasks/s, half of %s tasks/s (median of the bursts).%n%n",
                figures.halfLoad(), figures.throughput().format("%,.0f"));
        phase("At half load", figures.loaded(), true);
        Held held = figures.held();
        System.out.printf("Every page held open at idle for %d s: live heap %,d bytes after the snapshots, %,d at the"
                + " end (%+,d, %+.2f%%); CPU %.2f%% of a core; %s. Sessions: live heap %,d bytes before any login, %,d"
                + " with %d logged in and no page open.%n%n", hold.toSeconds(), held.heapStart(), held.heapEnd(),
                held.heapEnd() - held.heapStart(), 100.0 * (held.heapEnd() - held.heapStart()) / held.heapStart(),
                held.cores() * 100, held.traffic().describe(held.duration().toNanos() / 1e9), figures.heapAtStart(),
                figures.heapLoggedIn(), 2 * perPage);
        targets();
    }

    private void phase(String name, Rounds rounds, boolean loaded) {
        System.out.printf("%s:%n%n| open | CPU, %% of a core | extra CPU | vs none | extra live heap, KiB |%s traffic |%n",
                name, loaded ? " submissions' p99, ms |" : "");
        System.out.printf("| --- | ---: | ---: | ---: | ---: |%s --- |%n", loaded ? " ---: |" : "");
        double none = rounds.cores(State.NONE).median();
        for (State state : State.values()) {
            boolean baseline = state == State.NONE;
            System.out.printf("| %s | %s | %s | %.2f× | %s |%s %s |%n", state.label(),
                    percent(rounds.cores(state)), baseline ? "" : percent(rounds.extraCores(state)),
                    rounds.cores(state).median() / none,
                    baseline ? String.format("(%,.0f KiB in all)", rounds.heap(state).median() / 1024)
                            : kib(rounds.extraHeap(state)),
                    loaded ? " " + rounds.p99(state).format("%,.1f") + " |" : "", rounds.traffic(state));
        }
        System.out.println();
    }

    private void targets() {
        Rounds idle = figures.idle();
        double overviews = idle.extraCores(State.OVERVIEW).median();
        double taskPages = idle.extraCores(State.BOTH).median() - overviews;
        System.out.printf("| target | measured | met |%n| --- | ---: | --- |%n");
        System.out.printf("| %d consoles on the overview cost under 5%% of a core at idle | %.2f%% (%.3f%% each) | %s |%n",
                perPage, overviews * 100, overviews * 100 / perPage, overviews < TARGET_CORES ? "yes" : "**no**");
        System.out.printf("| %d consoles on the tasks page cost under 5%% of a core at idle | %.2f%% (%.3f%% each) | %s |%n",
                perPage, taskPages * 100, taskPages * 100 / perPage, taskPages < TARGET_CORES ? "yes" : "**no**");
        Held held = figures.held();
        System.out.printf("| a console open for a long time: constant memory on the scheduler | %+,d bytes of live heap"
                + " over %d s | %s |%n%n", held.heapEnd() - held.heapStart(), held.duration().toSeconds(),
                "see the text");
    }

    private static String percent(Stats cores) {
        return String.format("%.2f (%.2f–%.2f)", cores.median() * 100, cores.min() * 100, cores.max() * 100);
    }

    private static String kib(Stats bytes) {
        return String.format("%,.0f (%,.0f–%,.0f)", bytes.median() / 1024, bytes.min() / 1024, bytes.max() / 1024);
    }
}
