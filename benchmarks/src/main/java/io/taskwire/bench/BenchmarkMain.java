package io.taskwire.bench;

import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Hooks;

/**
 * Runs the benchmarks of BENCHMARKS.md and prints their tables as Markdown on standard output
 * (progress goes to standard error). {@code --quick} is a smoke run whose figures mean nothing.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.of(args);
        // calls still in flight when a timed window ends are cancelled; their errors mean nothing
        Hooks.onErrorDropped(failure -> { });
        System.out.printf("Run: %s, started %s, %d rounds, warm-up %ds per candidate%n%n", settings.name(),
                Instant.now(), settings.rounds(), settings.warmUp().toSeconds());
        System.out.println(Machine.describe());
        EncodingSizes.print();
        TaskwireCandidate taskwire = new TaskwireCandidate();
        MvcCandidate mvc = new MvcCandidate();
        RawRSocketCandidate raw = new RawRSocketCandidate();
        List<Candidate> candidates = List.of(taskwire, mvc, raw);
        try {
            new RequestResponseBenchmark(settings, candidates).run().print();
            new FireAndForgetBenchmark(settings, List.of(taskwire, mvc, raw)).run();
        } finally {
            candidates.forEach(Candidate::close);
        }
        System.exit(0);
    }
}
