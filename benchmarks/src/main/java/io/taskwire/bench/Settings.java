package io.taskwire.bench;

import java.time.Duration;

/**
 * How long to run.
 *
 * @param name shown in the output
 * @param warmUp per candidate, before anything is timed
 * @param rounds rounds of each figure, the candidates alternating within a round
 * @param throughputWindow one closed-loop measurement
 * @param latencyWindow one open-loop measurement
 */
record Settings(String name, Duration warmUp, int rounds, Duration throughputWindow, Duration latencyWindow) {

    static Settings of(String[] args) {
        for (String arg : args) {
            if (arg.equals("--quick")) {
                return new Settings("quick (smoke run, figures not meaningful)", Duration.ofSeconds(3), 2,
                        Duration.ofSeconds(1), Duration.ofSeconds(2));
            }
        }
        return new Settings("full", Duration.ofSeconds(30), 5, Duration.ofSeconds(3), Duration.ofSeconds(5));
    }
}
