package io.taskwire.bench;

import io.taskwire.bench.console.ConsoleBenchmark;
import io.taskwire.bench.endtoend.EndToEndBenchmark;
import io.taskwire.bench.idle.IdleWorkersBenchmark;
import io.taskwire.bench.restart.RestartBenchmark;
import io.taskwire.bench.schedule.ScheduleBenchmark;
import io.taskwire.bench.soak.AttackCosts;
import io.taskwire.bench.soak.SoakMain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Hooks;

/**
 * Runs the benchmarks of BENCHMARKS.md and prints their tables as Markdown on standard output
 * (progress goes to standard error). {@code --quick} is a smoke run whose figures mean nothing;
 * {@code --only=3,5} runs some of the comparisons. {@code soak} as the first argument runs the soak
 * of RELIABILITY.md instead ({@link SoakMain}), and {@code attack-costs} what each of its attacks
 * costs the scheduler by itself ({@link AttackCosts}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("soak")) {
            SoakMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("attack-costs")) {
            AttackCosts.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Settings settings = Settings.of(args);
        // calls still in flight when a timed window ends are cancelled; their errors mean nothing
        Hooks.onErrorDropped(failure -> { });
        System.out.printf("Run: %s, started %s, %d rounds, warm-up %ds per candidate, comparisons %s%n%n",
                settings.name(), Instant.now(), settings.rounds(), settings.warmUp().toSeconds(), settings.comparisons());
        System.out.println(Machine.describe());
        if (settings.runs(4)) {
            EncodingSizes.print();
        }
        if (settings.runs(1) || settings.runs(2)) {
            requestResponseAndFireAndForget(settings);
        }
        if (settings.runs(3)) {
            new EndToEndBenchmark(settings).run();
        }
        if (settings.runs(5)) {
            new IdleWorkersBenchmark(settings).run();
        }
        if (settings.runs(6)) {
            new RestartBenchmark().run();
        }
        if (settings.runs(7)) {
            new ScheduleBenchmark(settings).run();
        }
        if (settings.runs(8)) {
            new ConsoleBenchmark(settings).run();
        }
        System.exit(0);
    }

    /** Comparisons 1 and 2 share their candidates, all in this JVM. */
    private static void requestResponseAndFireAndForget(Settings settings) {
        List<Candidate> candidates = new ArrayList<>();
        try {
            TaskwireCandidate taskwire = new TaskwireCandidate();
            candidates.add(taskwire);
            MvcCandidate mvc = new MvcCandidate();
            candidates.add(mvc);
            RawRSocketCandidate raw = new RawRSocketCandidate();
            candidates.add(raw);
            if (settings.runs(1)) {
                new RequestResponseBenchmark(settings, candidates).run().print();
            }
            if (settings.runs(2)) {
                new FireAndForgetBenchmark(settings, List.of(taskwire, mvc, raw)).run();
            }
        } finally {
            candidates.forEach(Candidate::close);
        }
    }
}
