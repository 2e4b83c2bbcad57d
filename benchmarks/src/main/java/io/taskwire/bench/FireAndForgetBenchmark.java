package io.taskwire.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** Comparison 2: one-way messages per second, counted at the receiver. */
final class FireAndForgetBenchmark {

    private final Settings settings;
    private final List<FireAndForgetTarget> targets;
    private final Map<FireAndForgetTarget, List<Double>> rates = new LinkedHashMap<>();

    FireAndForgetBenchmark(Settings settings, List<FireAndForgetTarget> targets) {
        this.settings = settings;
        this.targets = targets;
        targets.forEach(target -> rates.put(target, new ArrayList<>()));
    }

    void run() {
        for (FireAndForgetTarget target : targets) {
            measure(target, settings.throughputWindow());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (int i = 0; i < targets.size(); i++) {
                FireAndForgetTarget target = targets.get((i + round) % targets.size());
                double rate = measure(target, settings.throughputWindow());
                rates.get(target).add(rate);
                RequestResponseBenchmark.log(String.format("round %d %s: fire-and-forget %,.0f/s", round + 1,
                        target.name(), rate));
            }
        }
        print();
    }

    /** Sends as fast as the receiver keeps up (at most a window ahead) and counts what it handled. */
    private static double measure(FireAndForgetTarget target, Duration window) {
        long sent = target.received();
        long startCount = target.received();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        long counted = startCount;
        while (System.nanoTime() < end) {
            if (sent - counted < target.window()) {
                target.fire().subscribe(done -> { }, failure -> { });
                sent++;
            } else {
                // counting may be costly on the receiver's side: look only when the window is full
                counted = target.received();
                if (sent - counted >= target.window()) {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
        double rate = (target.received() - startCount) * 1e9 / (System.nanoTime() - start);
        long drainUntil = System.nanoTime() + 5_000_000_000L;
        while (target.received() < sent && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        return rate;
    }

    private void print() {
        System.out.println("## 2. Fire-and-forget, messages per second counted at the receiver\n");
        System.out.println("| receiver | messages/s, median (min–max) | vs Taskwire |");
        System.out.println("| --- | ---: | ---: |");
        double taskwire = Stats.of(rates.get(targets.get(0))).median();
        for (FireAndForgetTarget target : targets) {
            Stats stats = Stats.of(rates.get(target));
            System.out.printf("| %s | %s | %.2f× |%n", target.name(), stats.format("%,.0f"), stats.median() / taskwire);
        }
        System.out.println();
    }
}
