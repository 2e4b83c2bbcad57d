package io.taskwire.bench.console;

/** The two groups of consoles, opened and closed together as a {@link State} says. */
final class States {

    private final Consoles overviews;
    private final Consoles tasks;

    States(Consoles overviews, Consoles tasks) {
        this.overviews = overviews;
        this.tasks = tasks;
    }

    void apply(State state) {
        overviews.open(state != State.NONE);
        tasks.open(state == State.BOTH);
    }

    /** @return what both groups got so far */
    Traffic.Snapshot traffic() {
        return overviews.traffic().plus(tasks.traffic());
    }
}
