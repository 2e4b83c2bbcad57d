package io.taskwire.bench.soak;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control of the soak, not an attack: a neighbour on the same machine that spins for half of
 * every 10 ms of wall time and sends the scheduler nothing. Sharing the cores with everything else,
 * it gets about a third of a core, what the attacks' own JVM takes; so a soak with this alone shows
 * what sharing the cores costs the real traffic, apart from anything the scheduler does.
 * Not among the attacks run by default: {@code --attacks=busy-neighbour}.
 */
final class BusyNeighbour extends Attack {

    static final String SLUG = "busy-neighbour";
    /** The share of wall time it spins. */
    private static final double SPINNING = 0.5;
    private static final int SPINS_PER_SECOND = 100;

    private volatile long spun;

    BusyNeighbour() {
        super("busy neighbour", "none");
    }

    @Override
    String description() {
        return "no traffic; spins for " + (int) (SPINNING * 1000 / SPINS_PER_SECOND) + " ms of every "
                + 1000 / SPINS_PER_SECOND + " ms";
    }

    @Override
    void start() {
        long spin = (long) (TimeUnit.SECONDS.toNanos(1) * SPINNING / SPINS_PER_SECOND);
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
