package io.taskwire.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How long to run, and what.
 *
 * @param name shown in the output
 * @param warmUp per candidate, before anything is timed
 * @param rounds rounds of each figure, the candidates alternating within a round
 * @param throughputWindow one closed-loop measurement
 * @param latencyWindow one open-loop measurement
 * @param comparisons the numbers of the comparisons to run (BENCHMARKS.md), all by default
 * @param variants comparison 3's variants to run: those whose name contains one of these (with the
 *        in-memory variants they are compared with); empty for all
 * @param quick a smoke run: comparisons whose length is not rounds and windows (7, 8) shorten themselves too
 */
public record Settings(String name, Duration warmUp, int rounds, Duration throughputWindow, Duration latencyWindow,
                       Set<Integer> comparisons, List<String> variants, boolean quick) {

    private static final Set<Integer> ALL = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(1, 2, 3, 4, 5, 6, 7, 8)));

    /**
     * @param args {@code --quick} for a smoke run whose figures mean nothing; {@code --only=3,5} for some
     *        comparisons; {@code --variants=PostgreSQL|H2} for some of comparison 3's variants
     */
    public static Settings of(String[] args) {
        boolean quick = false;
        Set<Integer> comparisons = ALL;
        List<String> variants = List.of();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--only=")) {
                comparisons = Arrays.stream(arg.substring("--only=".length()).split(","))
                        .map(String::trim).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
                if (!ALL.containsAll(comparisons)) {
                    throw new IllegalArgumentException("--only takes comparison numbers among " + ALL + ", was " + arg);
                }
            } else if (arg.startsWith("--variants=")) {
                variants = List.of(arg.substring("--variants=".length()).split("\\|"));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg
                        + "; known: --quick, --only=1,2,3,4,5,6,7,8, --variants=<part of a name>|<part of another>");
            }
        }
        return quick
                ? new Settings("quick (smoke run, figures not meaningful)", Duration.ofSeconds(3), 2,
                        Duration.ofSeconds(1), Duration.ofSeconds(2), comparisons, variants, true)
                : new Settings("full", Duration.ofSeconds(30), 5, Duration.ofSeconds(3), Duration.ofSeconds(5), comparisons,
                        variants, false);
    }

    public boolean runs(int comparison) {
        return comparisons.contains(comparison);
    }

    /** @return whether comparison 3 runs the variant of this name */
    public boolean runsVariant(String variantName) {
        return variants.isEmpty() || variants.stream().anyMatch(variantName::contains);
    }
}
