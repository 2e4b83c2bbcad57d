package io.taskwire.bench.soak;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control of the soak, not an attack: a neighbour on the same machine that keeps half a core
 * busy and sends the scheduler nothing. Half a core is about what the attacks take from the machine
 * all at once (their own JVM and the scheduler's work of answering them), so that a soak with this
 * alone shows what sharing the cores costs the real traffic, apart from anything the scheduler does.
 * Not among the attacks run by default: {@code --attacks=busy-neighbour}.
 */
final class BusyNeighbour extends Attack {

    static final String SLUG = "busy-neighbour";
    /** The share of one core it keeps busy. */
    private static final double CORES = 0.5;
    private static final int SPINS_PER_SECOND = 100;

    private volatile long spun;

    BusyNeighbour() {
        super("busy neighbour", "none");
    }

    @Override
    String description() {
        return "no traffic; keeps " + CORES + " of a core busy in " + SPINS_PER_SECOND + " spins a second";
    }

    @Override
    void start() {
        long spin = (long) (TimeUnit.SECONDS.toNanos(1) * CORES / SPINS_PER_SECOND);
        paced("spin", SPINS_PER_SECOND, () -> {
            long until = System.nanoTime() + spin;
            long turns = 0;
            while (System.nanoTime() < until) {
                turns++;
            }
            spun += turns;
            count("spins");
        });
    }

    @Override
    List<String> notes() {
        return List.of(String.format("%,d turns", spun));
    }
}
