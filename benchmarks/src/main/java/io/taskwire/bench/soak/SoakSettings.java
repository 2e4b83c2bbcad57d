package io.taskwire.bench.soak;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How long the soak runs.
 *
 * @param name shown in the report
 * @param warmUp bursts before anything is measured; those of its second half size the real traffic
 * @param window one latency measurement
 * @param quietWindows windows before the attacks
 * @param attackWindows windows under attack: 10 of 60 s is the soak of 10 minutes
 * @param afterWindows windows after the attacks stopped, before memory is read the last time
 * @param attacks the attacks to run, by {@link Attack#slug()}; empty for all
 * @param load the real traffic's rate as a share of the burst rate: 0.5, half the end-to-end load, by default
 * @param rate the real traffic's rate in tasks/s, whatever the bursts gave; 0 to follow {@code load}
 * @param schedulerJvm JVM options of the scheduler after the chart's, to try one before the chart adopts it
 */
record SoakSettings(String name, Duration warmUp, Duration window, int quietWindows, int attackWindows,
                    int afterWindows, Set<String> attacks, double load, double rate, List<String> schedulerJvm) {

    /**
     * @param args {@code --quick} for a smoke run of about two minutes whose figures mean nothing;
     *        {@code --attacks=slowloris,heartbeat-flood} for some of the attacks only (all by default);
     *        {@code --attacks=busy-neighbour} for the control: no attack, a neighbour spinning half the time;
     *        {@code --load=0.25} for real traffic at a quarter of the burst rate instead of half;
     *        {@code --rate=5000} for real traffic at that many tasks/s;
     *        {@code --scheduler-jvm=-XX:MaxGCPauseMillis=20} for JVM options of the scheduler after the chart's
     *        (space-separated)
     */
    static SoakSettings of(String[] args) {
        boolean quick = false;
        Set<String> attacks = Set.of();
        double load = 0.5;
        double rate = 0;
        List<String> schedulerJvm = List.of();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--attacks=")) {
                attacks = new TreeSet<>(Arrays.asList(arg.substring("--attacks=".length()).split(",")));
                if (!Attacks.selectable().containsAll(attacks)) {
                    throw new IllegalArgumentException(arg + " names an unknown attack; known: " + Attacks.selectable());
                }
            } else if (arg.startsWith("--load=")) {
                load = Double.parseDouble(arg.substring("--load=".length()));
                if (!(load > 0 && load < 1)) {
                    throw new IllegalArgumentException(arg + ": the load is a share of the burst rate, between 0 and 1");
                }
            } else if (arg.startsWith("--rate=")) {
                rate = Double.parseDouble(arg.substring("--rate=".length()));
                if (!(rate > 0)) {
                    throw new IllegalArgumentException(arg + ": the rate is tasks per second, more than 0");
                }
            } else if (arg.startsWith("--scheduler-jvm=")) {
                schedulerJvm = List.of(arg.substring("--scheduler-jvm=".length()).trim().split("\\s+"));
                if (!schedulerJvm.stream().allMatch(option -> option.startsWith("-"))) {
                    throw new IllegalArgumentException(arg + ": JVM options start with -, separated by spaces");
                }
            } else {
                throw new IllegalArgumentException("unknown argument " + arg
                        + "; known: --quick, --attacks=a,b, --load=0.5, --rate=5000, --scheduler-jvm=-XX:...");
            }
        }
        return quick
                ? new SoakSettings("quick (smoke run, figures not meaningful)", Duration.ofSeconds(10),
                        Duration.ofSeconds(15), 1, 3, 1, attacks, load, rate, schedulerJvm)
                : new SoakSettings("full", Duration.ofSeconds(60), Duration.ofSeconds(60), 3, 10, 2, attacks, load, rate,
                        schedulerJvm);
    }


    /** All of the scheduler's JVM options but its heap: the chart's, then those of {@code --scheduler-jvm}. */
    List<String> schedulerJvmOptions() {
        return Stream.concat(SoakMain.SCHEDULER_JVM.stream(), schedulerJvm.stream()).toList();
    }

    Duration attack() {
        return window.multipliedBy(attackWindows);
    }
}
