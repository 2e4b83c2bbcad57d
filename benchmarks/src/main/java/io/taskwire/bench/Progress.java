package io.taskwire.bench;

import java.time.Instant;

/** Progress on standard error, each line with its time, so that a profile can be cut to a phase. */
public final class Progress {

    private Progress() {
    }

    /** Prints {@code <time> <section>: <formatted message>}. */
    public static void log(String section, String format, Object... args) {
        System.err.println(Instant.now() + " " + section + ": " + String.format(format, args));
    }
}
