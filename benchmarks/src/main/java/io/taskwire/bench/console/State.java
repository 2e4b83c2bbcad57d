package io.taskwire.bench.console;

/** Which pages are open in a window. */
enum State {

    NONE("no console"),
    OVERVIEW(ConsoleBenchmark.PER_PAGE + " overviews"),
    BOTH(ConsoleBenchmark.PER_PAGE + " overviews + " + ConsoleBenchmark.PER_PAGE + " task pages");

    private final String label;

    State(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
