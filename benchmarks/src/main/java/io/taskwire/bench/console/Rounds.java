package io.taskwire.bench.console;

import io.taskwire.bench.Stats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One phase's windows, by state, in the order of the rounds. */
final class Rounds {

    private final Map<State, List<Window>> windows = new EnumMap<>(State.class);

    void add(State state, double cores, long heap, double p99, Traffic.Snapshot traffic, double seconds) {
        windows.computeIfAbsent(state, s -> new ArrayList<>()).add(new Window(cores, heap, p99, traffic, seconds));
    }

    Stats cores(State state) {
        return Stats.of(windows.get(state).stream().map(Window::cores).toList());
    }

    Stats heap(State state) {
        return Stats.of(windows.get(state).stream().map(window -> (double) window.heap()).toList());
    }

    Stats p99(State state) {
        return Stats.of(windows.get(state).stream().map(Window::p99).toList());
    }

    /** @return the state's CPU less that of no console in the same round, in cores */
    Stats extraCores(State state) {
        List<Double> extra = new ArrayList<>();
        for (int round = 0; round < windows.get(state).size(); round++) {
            extra.add(windows.get(state).get(round).cores() - windows.get(State.NONE).get(round).cores());
        }
        return Stats.of(extra);
    }

    /** @return the state's live heap less that of no console in the same round, in bytes */
    Stats extraHeap(State state) {
        List<Double> extra = new ArrayList<>();
        for (int round = 0; round < windows.get(state).size(); round++) {
            extra.add((double) (windows.get(state).get(round).heap() - windows.get(State.NONE).get(round).heap()));
        }
        return Stats.of(extra);
    }

    /** @return what the consoles got per second, over all the state's windows */
    String traffic(State state) {
        Traffic.Snapshot sum = Traffic.Snapshot.ZERO;
        double seconds = 0;
        for (Window window : windows.get(state)) {
            sum = sum.plus(window.traffic());
            seconds += window.seconds();
        }
        return sum.describe(seconds);
    }

    private record Window(double cores, long heap, double p99, Traffic.Snapshot traffic, double seconds) {
    }
}
